// The residual add's element formula, written once for both backends: y = a + b, then ReLU if asked.
#pragma once

#include "host_device.hpp"

namespace nst::shared {

NST_HOST_DEVICE inline float add_output(float a, float b, bool relu) {
    const float y = a + b;
    return relu && y < 0.0f ? 0.0f : y;  // a NaN stays visible
}

}  // namespace nst::shared
