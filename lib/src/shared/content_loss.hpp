// The content loss's gradient, one element at a time, written once for both backends.
#pragma once

#include "host_device.hpp"

namespace nst::shared {

// d/dF of weight · Σ(F−P)² / (4 C M) is g · (F − P) with g = weight / (2 C M).
NST_HOST_DEVICE inline float content_gradient(float F, float P, float g) {
    return g * (F - P);
}

}  // namespace nst::shared
