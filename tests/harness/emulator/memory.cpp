// The emulated device's memory: one mapping per allocation (device.hpp), pinned host memory, and the fault
// handler that names the buffer a stray access hit.
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>

#include "device.hpp"

namespace nst::emulated {

namespace {

constexpr unsigned char kTailPattern = 0xA5;

struct Registry {
    std::map<std::uintptr_t, Allocation> device;  // by data address
    std::map<std::uintptr_t, std::size_t> pinned;
    std::uint64_t next_id = 1;
    int open_depth = 0;
    struct sigaction previous {};
    bool handler_installed = false;
};

Registry& registry() {
    static Registry r;
    return r;
}

std::size_t page() {
    static const std::size_t p = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    return p;
}

std::size_t data_pages_bytes(std::size_t bytes) {
    return (bytes + page() - 1) / page() * page();
}

// Which allocation's mapping (guard pages included) holds `address`, or nullptr.
const Allocation* mapping_of(std::uintptr_t address) {
    for (const auto& [begin, a] : registry().device) {
        const auto m = reinterpret_cast<std::uintptr_t>(a.mapping);
        if (address >= m && address < m + a.mapped) return &a;
    }
    return nullptr;
}

void write_text(const char* text) {
    const ssize_t ignored = write(STDERR_FILENO, text, std::strlen(text));
    (void)ignored;
}

// A fault in an emulated mapping: one line naming the buffer, then the previous handler (AddressSanitizer's,
// with the stack, or the default) takes the re-executed access.
void on_fault(int signal, siginfo_t* info, void* context) {
    Registry& r = registry();
    const auto address = reinterpret_cast<std::uintptr_t>(info->si_addr);
    if (const Allocation* a = mapping_of(address)) {
        char line[512];
        const auto begin = reinterpret_cast<std::uintptr_t>(a->data);
        const bool inside = address >= begin && address < begin + a->bytes;
        const char* who = r.open_depth > 0 ? running_op() : "host code";
        if (inside)
            std::snprintf(line, sizeof line,
                          "emulated CUDA device: %s touched device buffer #%llu (%zu bytes) at offset %zu outside an "
                          "emulated device operation\n",
                          who, static_cast<unsigned long long>(a->id), a->bytes, static_cast<std::size_t>(address - begin));
        else
            std::snprintf(line, sizeof line,
                          "emulated CUDA device: %s touched the guard page %s device buffer #%llu (%zu bytes)\n", who,
                          address < begin ? "before" : "after", static_cast<unsigned long long>(a->id), a->bytes);
        write_text(line);
    }
    sigaction(SIGSEGV, &r.previous, nullptr);
    if (r.previous.sa_flags & SA_SIGINFO) {
        if (r.previous.sa_sigaction != nullptr) r.previous.sa_sigaction(signal, info, context);
    } else if (r.previous.sa_handler != SIG_DFL && r.previous.sa_handler != SIG_IGN) {
        r.previous.sa_handler(signal);
    }
}

void install_handler() {
    Registry& r = registry();
    if (r.handler_installed) return;
    struct sigaction action {};
    action.sa_sigaction = on_fault;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    sigaction(SIGSEGV, &action, &r.previous);
    r.handler_installed = true;
}

void protect(const Allocation& a, int protection) {
    if (mprotect(a.data, data_pages_bytes(a.bytes), protection) != 0) {
        std::perror("emulated CUDA device: mprotect");
        std::abort();
    }
}

bool tail_intact(const Allocation& a) {
    const std::size_t end = data_pages_bytes(a.bytes);
    for (std::size_t i = a.bytes; i < end; ++i)
        if (a.data[i] != kTailPattern) return false;
    return true;
}

}  // namespace

std::string describe(const Allocation& a) {
    char text[128];
    std::snprintf(text, sizeof text, "device buffer #%llu (%zu bytes at %p)", static_cast<unsigned long long>(a.id),
                  a.bytes, static_cast<const void*>(a.data));
    return text;
}

cudaError_t allocate(void** out, std::size_t bytes) {
    if (out == nullptr) return cudaErrorInvalidValue;
    *out = nullptr;
    if (bytes == 0) return cudaSuccess;  // CUDA: a null pointer and success
    const std::size_t data = data_pages_bytes(bytes);
    if (bytes_in_use() + data + 2 * page() > capacity_bytes()) return cudaErrorMemoryAllocation;
    void* m = mmap(nullptr, data + 2 * page(), PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED) return cudaErrorMemoryAllocation;
    install_handler();
    Allocation a;
    a.id = registry().next_id++;
    a.mapping = static_cast<unsigned char*>(m);
    a.mapped = data + 2 * page();
    a.data = a.mapping + page();
    a.bytes = bytes;
    protect(a, PROT_READ | PROT_WRITE);
    std::memset(a.data, 0xFF, bytes);  // poison: NaN as float and double, -1 as integers
    std::memset(a.data + bytes, kTailPattern, data - bytes);
    if (registry().open_depth == 0) protect(a, PROT_NONE);
    registry().device.emplace(reinterpret_cast<std::uintptr_t>(a.data), a);
    *out = a.data;
    return cudaSuccess;
}

cudaError_t release(void* pointer) {
    if (pointer == nullptr) return cudaSuccess;
    Registry& r = registry();
    auto it = r.device.find(reinterpret_cast<std::uintptr_t>(pointer));
    if (it == r.device.end()) {
        const Allocation* inside = containing(pointer);
        report(inside ? "cudaFree(" + std::to_string(reinterpret_cast<std::uintptr_t>(pointer)) +
                            "): not the start of " + describe(*inside)
                      : "cudaFree: a pointer that is not live device memory (a double free, or host memory)");
        return cudaErrorInvalidValue;
    }
    Allocation& a = it->second;
    protect(a, PROT_READ | PROT_WRITE);
    const bool intact = tail_intact(a);
    munmap(a.mapping, a.mapped);
    const std::string text = describe(a);
    r.device.erase(it);
    if (!intact) {
        report("a write past the end of " + text + " (found when it was freed)");
        return cudaErrorIllegalAddress;
    }
    return cudaSuccess;
}

cudaError_t allocate_pinned(void** out, std::size_t bytes) {
    if (out == nullptr) return cudaErrorInvalidValue;
    *out = std::aligned_alloc(4096, data_pages_bytes(bytes == 0 ? 1 : bytes));
    if (*out == nullptr) return cudaErrorMemoryAllocation;
    registry().pinned.emplace(reinterpret_cast<std::uintptr_t>(*out), bytes);
    return cudaSuccess;
}

cudaError_t release_pinned(void* pointer) {
    if (pointer == nullptr) return cudaSuccess;
    if (registry().pinned.erase(reinterpret_cast<std::uintptr_t>(pointer)) == 0) {
        report("cudaFreeHost: a pointer that cudaMallocHost did not return");
        return cudaErrorInvalidValue;
    }
    std::free(pointer);
    return cudaSuccess;
}

Allocation* containing(const void* pointer) {
    auto& device = registry().device;
    const auto address = reinterpret_cast<std::uintptr_t>(pointer);
    auto it = device.upper_bound(address);
    if (it == device.begin()) return nullptr;
    --it;
    Allocation& a = it->second;
    return address < it->first + a.bytes ? &a : nullptr;
}

Where where(const void* pointer) {
    if (containing(pointer) != nullptr) return Where::Device;
    const auto address = reinterpret_cast<std::uintptr_t>(pointer);
    auto& pinned = registry().pinned;
    auto it = pinned.upper_bound(address);
    if (it != pinned.begin()) {
        --it;
        if (address < it->first + it->second) return Where::PinnedHost;
    }
    return Where::PageableHost;
}

Allocation* device_range(const void* pointer, std::size_t bytes, std::string* why) {
    Allocation* a = containing(pointer);
    if (a == nullptr) {
        *why = pointer == nullptr ? "a null pointer" : "not device memory (a host pointer, or freed)";
        return nullptr;
    }
    const std::size_t offset = static_cast<std::size_t>(static_cast<const unsigned char*>(pointer) - a->data);
    if (bytes > a->bytes - offset) {
        *why = std::to_string(bytes) + " bytes from offset " + std::to_string(offset) + " run past the end of " +
               describe(*a);
        return nullptr;
    }
    return a;
}

std::size_t bytes_in_use() {
    std::size_t total = 0;
    for (const auto& [begin, a] : registry().device) total += a.mapped;
    return total;
}

void forget_stream(const void* stream) {
    for (auto& [begin, a] : registry().device)
        if (a.last_stream == stream) a.last_stream = nullptr;
}

void open_memory() {
    Registry& r = registry();
    if (r.open_depth++ > 0) return;
    for (const auto& [begin, a] : r.device) protect(a, PROT_READ | PROT_WRITE);
}

bool close_memory(std::string* why) {
    Registry& r = registry();
    if (--r.open_depth > 0) return true;
    bool intact = true;
    for (const auto& [begin, a] : r.device) {
        if (intact && !tail_intact(a)) {
            *why = "a write past the end of " + describe(a);
            intact = false;
        }
        protect(a, PROT_NONE);
    }
    return intact;
}

}  // namespace nst::emulated
