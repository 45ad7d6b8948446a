#include "io/isolated_read.hpp"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "nst/error.hpp"

// Present only in sanitized builds: the hook through which a sanitizer report calls back (libFuzzer uses it).
extern "C" void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

namespace nst::mat {

namespace {

constexpr unsigned kChildSeconds = 300;           // a hang ends here; a real 535 MB file takes seconds
constexpr unsigned long long kChildExtraBytes = 1ull << 30;  // address space beyond what is mapped at fork

bool is_v73(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    unsigned char header[128] = {};
    if (!in.read(reinterpret_cast<char*>(header), 128) || std::memcmp(header, "MATLAB", 6) != 0) return false;
    const bool le = header[126] == 'I' && header[127] == 'M';
    const unsigned version = le ? (header[124] | header[125] << 8) : (header[125] | header[124] << 8);
    return version == 0x0200;
}

bool sanitized() {
#if defined(__SANITIZE_ADDRESS__)
    return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    return true;
#else
    return false;
#endif
#else
    return false;
#endif
}

// Caps the child's address space at what it has mapped now (libraries, the parent's heap) plus 1 GiB:
// an allocation beyond that fails instead of taking the machine's memory. Not under ASan, whose shadow
// memory is reserved as address space.
void limit_memory() {
    if (sanitized()) return;
    unsigned long long pages = 0;
    std::FILE* f = std::fopen("/proc/self/statm", "r");
    if (f == nullptr) return;
    const bool ok = std::fscanf(f, "%llu", &pages) == 1;
    std::fclose(f);
    if (!ok) return;
    const rlim_t limit = static_cast<rlim_t>(pages * static_cast<unsigned long long>(::sysconf(_SC_PAGESIZE)) + kChildExtraBytes);
    const rlimit r{limit, limit};
    ::setrlimit(RLIMIT_AS, &r);
}

// The host program's crash handlers (a crash reporter, a fuzzer's, a sanitizer's) belong to the parent: in
// the child a crash just ends it, and the parent reports the file.
void default_crash_handling() {
    for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT}) std::signal(sig, SIG_DFL);
    if (__sanitizer_set_death_callback != nullptr) __sanitizer_set_death_callback(nullptr);
}

[[noreturn]] void child(int fd, const std::function<void()>& read) {
    default_crash_handling();
    limit_memory();
    ::alarm(kChildSeconds);
    std::string message;
    int code = 0;
    try {
        read();
    } catch (const std::exception& e) {
        message = e.what();
        code = 1;
    }
    for (std::size_t done = 0; done < message.size();) {
        const ssize_t n = ::write(fd, message.data() + done, message.size() - done);
        if (n <= 0) break;
        done += static_cast<std::size_t>(n);
    }
    ::_exit(code);  // not exit(): the parent's atexit handlers (CUDA's among them) are not the child's
}

}  // namespace

void read_in_child_first_if_v73(const std::string& path, const std::string& kind, const std::function<void()>& read) {
    if (!is_v73(path)) return;
    int fds[2];
    if (::pipe(fds) != 0) throw Error(kind + " '" + path + "': cannot start the HDF5 reader: " + std::strerror(errno));
    std::fflush(nullptr);  // the child must not write the parent's buffered output again
    const pid_t pid = ::fork();
    if (pid < 0) throw Error(kind + " '" + path + "': cannot start the HDF5 reader: " + std::strerror(errno));
    if (pid == 0) {
        ::close(fds[0]);
        child(fds[1], read);
    }
    ::close(fds[1]);
    std::string message;
    char buffer[4096];
    for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) != 0;) {
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;
        message.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 1 && !message.empty()) throw Error(message);
    const std::string how = WIFSIGNALED(status) ? (WTERMSIG(status) == SIGALRM ? std::string("did not finish in ") + std::to_string(kChildSeconds) + " s"
                                                                              : std::string("crashed (") + strsignal(WTERMSIG(status)) + ")")
                                                : "failed";
    throw Error(kind + " '" + path + "': is corrupt: reading this MAT v7.3 (HDF5) file " + how +
                " in a separate process; re-save it, or convert it to MAT v5");
}

}  // namespace nst::mat
