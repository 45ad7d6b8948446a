// CIFAR-100's binary files (nst/dataset.hpp): read with every size and label checked before use, written
// atomically.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "io/input_file.hpp"
#include "nst/atomic_file.hpp"
#include "nst/dataset.hpp"
#include "nst/error.hpp"

namespace nst {

namespace {

constexpr std::size_t kImageBytes = 3 * 32 * 32;
constexpr std::size_t kRecordBytes = 2 + kImageBytes;
// CIFAR-100's training file holds 50,000 records; refuse anything far beyond it before allocating.
constexpr std::uintmax_t kMaxFileBytes = std::uintmax_t(kRecordBytes) * 1000000;

[[noreturn]] void fail(const std::string& path, const std::string& what) {
    throw Error("CIFAR-100 file '" + path + "': " + what);
}

std::uintmax_t checked_size(const std::string& path) {
    const std::uintmax_t size = check_input_file(path, "CIFAR-100 file");  // a FIFO or device is refused
    if (size == 0 || size % kRecordBytes != 0)
        fail(path, "is " + std::to_string(size) + " bytes, not a positive multiple of the 3074-byte record (1 coarse "
                   "label, 1 fine label, 3072 pixels): not CIFAR-100's binary version, or truncated");
    if (size > kMaxFileBytes) fail(path, "is " + std::to_string(size) + " bytes, more than a million records");
    return size;
}

}  // namespace

ImageSet read_cifar100_file(const std::string& path) {
    const std::uintmax_t size = checked_size(path);
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(path, std::string("cannot be read: ") + std::strerror(errno));
    std::vector<std::uint8_t> raw(static_cast<std::size_t>(size));
    if (!in.read(reinterpret_cast<char*>(raw.data()), static_cast<std::streamsize>(size)))
        fail(path, "could not be read to its end");
    ImageSet set;
    set.count = static_cast<int>(size / kRecordBytes);
    set.source = path;
    set.pixels.resize(std::size_t(set.count) * kImageBytes);
    set.labels.resize(std::size_t(set.count));
    for (std::size_t i = 0; i < std::size_t(set.count); ++i) {
        const std::uint8_t* record = raw.data() + i * kRecordBytes;
        if (record[0] >= 20 || record[1] >= 100)
            fail(path, "record " + std::to_string(i) + " has coarse label " + std::to_string(record[0]) +
                           " and fine label " + std::to_string(record[1]) + " (CIFAR-100 has 20 and 100 classes)");
        set.labels[i] = record[1];
        std::memcpy(set.pixels.data() + i * kImageBytes, record + 2, kImageBytes);
    }
    return set;
}

Dataset load_cifar100(const std::string& dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw Error("CIFAR-100 folder '" + dir + "': " + (fs::exists(dir, ec) ? "is not a folder" : "no such folder") +
                    " (expected a folder with train.bin and test.bin from cifar-100-binary.tar.gz)");
    return {read_cifar100_file((fs::path(dir) / "train.bin").string()),
            read_cifar100_file((fs::path(dir) / "test.bin").string())};
}

void write_cifar100_file(const std::string& path, const ImageSet& set) {
    if (set.size != 32 || set.classes > 100 || set.pixels.size() != std::size_t(set.count) * kImageBytes ||
        set.labels.size() != std::size_t(set.count))
        throw Error("write_cifar100_file: a set of " + std::to_string(set.count) + " images of " +
                    std::to_string(set.size) + " px in " + std::to_string(set.classes) +
                    " classes (CIFAR-100's format holds 32x32 images of up to 100 classes)");
    AtomicFile out(path);
    {
        std::ofstream f(out.temp_path(), std::ios::binary);
        for (std::size_t i = 0; i < std::size_t(set.count); ++i) {
            const char labels[2] = {static_cast<char>(set.labels[i] / 5), static_cast<char>(set.labels[i])};
            f.write(labels, 2);
            f.write(reinterpret_cast<const char*>(set.pixels.data() + i * kImageBytes), kImageBytes);
        }
        f.close();
        if (!f) throw Error("cannot write '" + path + "': " + std::strerror(errno));
    }
    out.commit();
}

}  // namespace nst
