// Ruder et al.'s short-term temporal loss, one element at a time, written once for both backends. x and the
// warped previous result w are C x P (P pixels); the mask c holds one weight per pixel (P), shared by the
// channels: 1 where the previous frame is seen, 0 where it is occluded or on a motion boundary.
#pragma once

#include <cstdint>

#include "host_device.hpp"

namespace nst::shared {

// Element i's term of Σ c (x − w)².
NST_HOST_DEVICE inline double temporal_term(const float* x, const float* w, const float* c, std::int64_t pixels,
                                            std::int64_t i) {
    const double d = static_cast<double>(x[i]) - static_cast<double>(w[i]);
    return static_cast<double>(c[i % pixels]) * d * d;
}

// d/dx of weight · Σ c (x − w)² / (C P) is g · c · (x − w) with g = 2 weight / (C P).
NST_HOST_DEVICE inline float temporal_gradient(float x, float w, float c, float g) {
    return g * c * (x - w);
}

}  // namespace nst::shared
