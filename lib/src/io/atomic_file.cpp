#include "nst/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "nst/error.hpp"

namespace nst {

namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail_write(const std::string& path, const std::string& why) {
    throw Error("cannot write '" + path + "': " + why);
}

// What a write to `path` replaces: the end of its symlink chain (which may not exist yet), else `path`.
std::string resolve_target(const std::string& path) {
    fs::path p(path);
    std::error_code ec;
    for (int hops = 0; hops < 40 && fs::is_symlink(fs::symlink_status(p, ec)); ++hops) {
        const fs::path next = fs::read_symlink(p, ec);
        if (ec) break;
        p = next.is_absolute() ? next : p.parent_path() / next;
    }
    return p.string();
}

std::string temp_name_for(const std::string& target) {
    static std::atomic<unsigned> counter{0};
    const fs::path p(target);
    const std::string name = "." + p.filename().string() + ".partial-" + std::to_string(::getpid()) + "-" +
                             std::to_string(counter.fetch_add(1));
    return (p.parent_path() / name).string();
}

// "" if `target` is a regular file or does not exist, else what it is.
std::string not_regular(const std::string& target) {
    struct stat st {};
    if (::lstat(target.c_str(), &st) != 0) return errno == ENOENT ? "" : std::strerror(errno);
    if (S_ISREG(st.st_mode)) return "";
    if (S_ISDIR(st.st_mode)) return "it is a folder";
    if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) return "it is a device, not a regular file";
    if (S_ISFIFO(st.st_mode)) return "it is a FIFO, not a regular file";
    return "it is not a regular file";
}

// fsync through a fresh descriptor: flushes whatever wrote the file (stdio, iostreams, matio).
void sync_file(const std::string& path, const std::string& final_path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail_write(final_path, std::strerror(errno));
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0) fail_write(final_path, std::strerror(err));
}

void sync_folder(const std::string& path) {  // best effort: makes the rename itself durable
    const fs::path folder = fs::path(path).parent_path().empty() ? fs::path(".") : fs::path(path).parent_path();
    const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

}  // namespace

AtomicFile::AtomicFile(std::string final_path)
    : final_(std::move(final_path)), target_(resolve_target(final_)), temp_(temp_name_for(target_)) {}

AtomicFile::~AtomicFile() {
    if (!committed_) std::remove(temp_.c_str());
}

void AtomicFile::commit() {
    sync_file(temp_, final_);
    if (const std::string why = not_regular(target_); !why.empty()) fail_write(final_, why);
    if (std::rename(temp_.c_str(), target_.c_str()) != 0) fail_write(final_, std::strerror(errno));
    committed_ = true;
    sync_folder(target_);
}

void write_file_atomically(const std::string& path, const void* bytes, std::size_t size) {
    AtomicFile out(path);
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(out.temp_path().c_str(), "wb"), std::fclose);
    if (!f) fail_write(path, std::strerror(errno));
    const bool written = std::fwrite(bytes, 1, size, f.get()) == size && std::fflush(f.get()) == 0;
    const int err = errno;
    if (!written) fail_write(path, std::strerror(err));
    if (std::fclose(f.release()) != 0) fail_write(path, std::strerror(errno));
    out.commit();
}

void check_writable_folder(const std::string& path) {
    const std::string target = resolve_target(path);
    const fs::path p(target);
    const fs::path folder = p.parent_path().empty() ? fs::path(".") : p.parent_path();
    std::error_code ec;
    if (const std::string why = not_regular(target); !why.empty()) fail_write(path, why);
    if (!fs::is_directory(folder, ec)) fail_write(path, "folder '" + folder.string() + "' does not exist");
    AtomicFile probe(path);
    std::FILE* f = std::fopen(probe.temp_path().c_str(), "wb");
    if (f == nullptr) fail_write(path, std::strerror(errno));
    std::fclose(f);
}

void check_not_same_file(const std::string& output, const std::string& output_role, const std::string& input,
                         const std::string& input_role) {
    if (output.empty() || input.empty()) return;
    std::error_code ec, ec_out, ec_in;
    const bool same_inode = fs::equivalent(output, input, ec) && !ec;  // both exist
    const fs::path a = fs::weakly_canonical(output, ec_out), b = fs::weakly_canonical(input, ec_in);
    if (same_inode || (!ec_out && !ec_in && a == b))
        throw Error(output_role + " '" + output + "' is the same file as " + input_role + " '" + input +
                    "': refusing to overwrite it");
}

}  // namespace nst
