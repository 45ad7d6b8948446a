// Image conversions and the notebook's noise, one element at a time, written once for both backends. Every
// rounding is explicit, so the CPU and the GPU produce bit-identical tensors and bytes.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

#include "counter_rng.hpp"
#include "host_device.hpp"

namespace nst::shared {

// A byte of the image as the network sees it: the value minus the channel's mean.
NST_HOST_DEVICE inline float pixel_to_value(std::uint8_t byte, float mean) {
    return static_cast<float>(byte) - mean;
}

// value + mean, clamped to [0, 255], rounded to nearest as floor(v + 0.5).
NST_HOST_DEVICE inline std::uint8_t value_to_pixel(float value, float mean) {
    const float v = fminf(fmaxf(add_rn(value, mean), 0.0f), 255.0f);
    return static_cast<std::uint8_t>(floorf(add_rn(v, 0.5f)));
}

// ratio · (−20 + 40 u(seed, i)) + (1 − ratio) · content, in double (40 u is exact: u has 24 bits), rounded
// once to float.
NST_HOST_DEVICE inline float noise_value(std::uint64_t seed, std::size_t i, double ratio, float content) {
    const double noise = add_rn(-20.0, mul_rn(40.0, rng::uniform24(rng::hash(seed, 0, i))));
    return static_cast<float>(add_rn(mul_rn(ratio, noise), mul_rn(add_rn(1.0, -ratio), static_cast<double>(content))));
}

}  // namespace nst::shared
