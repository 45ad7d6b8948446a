// Counter-based random numbers: value i of stream s under seed k is a pure function of (k, s, i), so the
// CPU and every CUDA thread draw exactly the same numbers in any order (splitmix64's finaliser as the
// mixing function). Usable from host and device code.
#pragma once

#include <cstdint>

#include "host_device.hpp"

namespace nst::rng {

NST_HOST_DEVICE inline std::uint64_t mix64(std::uint64_t z) {
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

NST_HOST_DEVICE inline std::uint64_t hash(std::uint64_t seed, std::uint64_t stream, std::uint64_t index) {
    return mix64(mix64(seed ^ mix64(stream)) + index);
}

// Uniform in [0, 1) with 24 random bits: exactly representable as float and as double.
NST_HOST_DEVICE inline double uniform24(std::uint64_t h) {
    return static_cast<double>(h >> 40) * (1.0 / 16777216.0);
}

// Uniform in (0, 1] with 53 random bits (never 0, so log() is safe).
NST_HOST_DEVICE inline double uniform53_open0(std::uint64_t h) {
    return static_cast<double>((h >> 11) + 1) * (1.0 / 9007199254740992.0);
}

}  // namespace nst::rng
