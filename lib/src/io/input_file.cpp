#include "io/input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "nst/error.hpp"

namespace nst {

namespace {

[[noreturn]] void fail(const std::string& kind, const std::string& path, const std::string& what) {
    throw Error(kind + " '" + path + "': " + what);
}

}  // namespace

std::uint64_t check_input_file(const std::string& path, const std::string& kind) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        fail(kind, path, errno == ENOENT ? std::string("no such file") : std::strerror(errno));
    if (S_ISDIR(st.st_mode)) fail(kind, path, "is a folder, not a file");
    if (S_ISFIFO(st.st_mode)) fail(kind, path, "is a FIFO, not a regular file");
    if (!S_ISREG(st.st_mode)) fail(kind, path, "is not a regular file (a device or socket)");
    if (::access(path.c_str(), R_OK) != 0) fail(kind, path, std::string("cannot be read: ") + std::strerror(errno));
    return static_cast<std::uint64_t>(st.st_size);
}

std::vector<unsigned char> read_input_file(const std::string& path, const std::string& kind, std::uint64_t max_bytes) {
    const std::uint64_t size = check_input_file(path, kind);
    if (size > max_bytes)
        fail(kind, path, "is " + std::to_string(size) + " bytes, more than the " + std::to_string(max_bytes) +
                             " libnst accepts");
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail(kind, path, std::string("cannot be read: ") + std::strerror(errno));
    std::vector<unsigned char> bytes(static_cast<std::size_t>(size));
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::read(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const int err = errno;
            ::close(fd);
            fail(kind, path, n == 0 ? "became shorter while being read" : std::string("cannot be read: ") + std::strerror(err));
        }
        done += static_cast<std::size_t>(n);
    }
    ::close(fd);
    return bytes;
}

}  // namespace nst
