// A libFuzzer target for one of libnst's readers, chosen at compile time (NST_FUZZ_KIND: 0 weights, 1 image,
// 2 cifar; tests/fuzz/CMakeLists.txt builds all three). The readers take paths, so each input is written to
// a file first. An nst::Error is the expected answer to a bad file; anything else (a crash, a sanitizer
// report, another exception escaping) is a finding.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

#include "nst/error.hpp"
#include "readers.hpp"

namespace {

constexpr nst::fuzz::Kind kKind = static_cast<nst::fuzz::Kind>(NST_FUZZ_KIND);

const std::string& input_path() {
    // .tga: the one format chosen by name; every other is recognised by its magic bytes.
    static const std::string path = (std::filesystem::temp_directory_path() /
                                     ("nst-fuzz-" + std::to_string(::getpid()) +
                                      (kKind == nst::fuzz::Kind::Weights ? ".mat" : kKind == nst::fuzz::Kind::Image ? ".tga" : ".bin")))
                                        .string();
    return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // MAT v7.3 (HDF5) files are read in a forked child first, and a fork inside libFuzzer runs libFuzzer's
    // own handlers in the child: that path is left to nst_hostile_corpus, which forks per file anyway.
    if (kKind == nst::fuzz::Kind::Weights && size >= 128 && (data[124] | data[125]) == 0x02) return 0;  // 0x0200, either order
    std::FILE* f = std::fopen(input_path().c_str(), "wb");
    if (f == nullptr) return 0;
    std::fwrite(data, 1, size, f);
    std::fclose(f);
    try {
        nst::fuzz::read_as(kKind, input_path());
    } catch (const nst::Error&) {
    }
    return 0;
}
