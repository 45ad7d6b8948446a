// Buffers for the kernel tests: the elements sit between two guard zones of a known byte pattern, so a
// kernel that writes one element before or after its range (inside the allocation, where AddressSanitizer
// does not look) is caught by guards_intact(). Outputs start poisoned (all bits set: NaN for floats).
#pragma once

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace nst::test {

template <class T>
class Guarded {
public:
    static constexpr std::size_t kGuardBytes = 256;
    static constexpr unsigned char kPattern = 0xA5;

    // n elements, copied from `values` (or poisoned when it is empty).
    explicit Guarded(std::size_t n, const std::vector<T>& values = {})
        : n_(n), storage_(static_cast<unsigned char*>(std::aligned_alloc(64, total_bytes(n)))) {
        std::memset(storage_.get(), kPattern, kGuardBytes);
        std::memset(storage_.get() + kGuardBytes + n * sizeof(T), kPattern, total_bytes(n) - kGuardBytes - n * sizeof(T));
        if (values.empty())
            std::memset(data(), 0xFF, n * sizeof(T));
        else
            std::memcpy(data(), values.data(), n * sizeof(T));
    }
    explicit Guarded(const std::vector<T>& values) : Guarded(values.size(), values) {}

    T* data() noexcept { return reinterpret_cast<T*>(storage_.get() + kGuardBytes); }
    const T* data() const noexcept { return reinterpret_cast<const T*>(storage_.get() + kGuardBytes); }
    std::size_t size() const noexcept { return n_; }
    std::vector<T> values() const { return std::vector<T>(data(), data() + n_); }

    // Every guard byte still holds the pattern.
    bool guards_intact() const {
        const unsigned char* p = storage_.get();
        for (std::size_t i = 0; i < kGuardBytes; ++i)
            if (p[i] != kPattern) return false;
        for (std::size_t i = kGuardBytes + n_ * sizeof(T); i < total_bytes(n_); ++i)
            if (p[i] != kPattern) return false;
        return true;
    }

private:
    static std::size_t total_bytes(std::size_t n) {
        return (2 * kGuardBytes + n * sizeof(T) + 63) / 64 * 64;
    }
    struct Free {
        void operator()(unsigned char* p) const noexcept { std::free(p); }
    };
    std::size_t n_;
    std::unique_ptr<unsigned char, Free> storage_;
};

}  // namespace nst::test
