// Bytes a backend has allocated, now and at the peak; shared with its buffers, which may outlive it.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdio>
#include <string>

namespace nst {

struct MemoryCounter {
    std::atomic<std::size_t> in_use{0};
    std::atomic<std::size_t> peak{0};

    void add(std::size_t bytes) noexcept {
        const std::size_t now = in_use.fetch_add(bytes) + bytes;
        std::size_t p = peak.load();
        while (now > p && !peak.compare_exchange_weak(p, now)) {
        }
    }
    void remove(std::size_t bytes) noexcept { in_use.fetch_sub(bytes); }
};

// "1.50 GiB", for memory errors.
inline std::string gib(std::size_t bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f GiB", static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0));
    return text;
}

}  // namespace nst
