#include "nst/atomic_file.hpp"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "nst/error.hpp"

namespace nst {

namespace {

std::string temp_name_for(const std::string& final_path) {
    static std::atomic<unsigned> counter{0};
    const std::filesystem::path p(final_path);
    const std::string name = "." + p.filename().string() + ".partial-" + std::to_string(::getpid()) + "-" +
                             std::to_string(counter.fetch_add(1));
    return (p.parent_path() / name).string();
}

}  // namespace

AtomicFile::AtomicFile(std::string final_path) : final_(std::move(final_path)), temp_(temp_name_for(final_)) {}

AtomicFile::~AtomicFile() {
    if (!committed_) std::remove(temp_.c_str());
}

void AtomicFile::commit() {
    if (std::rename(temp_.c_str(), final_.c_str()) != 0)
        throw Error("cannot write '" + final_ + "': " + std::strerror(errno));
    committed_ = true;
}

void check_writable_folder(const std::string& path) {
    const std::filesystem::path p(path);
    const std::filesystem::path folder = p.parent_path().empty() ? std::filesystem::path(".") : p.parent_path();
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) throw Error("cannot write '" + path + "': it is a folder");
    if (!std::filesystem::is_directory(folder, ec))
        throw Error("cannot write '" + path + "': folder '" + folder.string() + "' does not exist");
    AtomicFile probe(path);
    std::FILE* f = std::fopen(probe.temp_path().c_str(), "wb");
    if (f == nullptr) throw Error("cannot write '" + path + "': " + std::strerror(errno));
    std::fclose(f);
}

}  // namespace nst
