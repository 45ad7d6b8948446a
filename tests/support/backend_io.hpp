// Moving test data in and out of a backend.
#pragma once

#include <cmath>
#include <limits>
#include <vector>

#include "core/op_backend.hpp"

namespace nst::test {

inline Buffer put(OpBackend& b, const std::vector<float>& host) {
    Buffer buf = b.allocate(host.size());
    b.upload(host.data(), buf.data(), host.size());
    return buf;
}

inline std::vector<float> get(OpBackend& b, const Buffer& buf) {
    std::vector<float> host(buf.size());
    b.download(buf.data(), host.data(), host.size());
    return host;
}

inline float get_scalar(OpBackend& b, const float* p) {
    float v = 0.0f;
    b.download(p, &v, 1);
    return v;
}

// An output buffer filled with NaN, so that any element an op forgets to write shows up.
inline Buffer poisoned(OpBackend& b, std::size_t count) {
    Buffer buf = b.allocate(count);
    b.fill(buf.data(), count, std::numeric_limits<float>::quiet_NaN());
    return buf;
}

}  // namespace nst::test
