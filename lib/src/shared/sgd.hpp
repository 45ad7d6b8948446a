// Keras's SGD step on one parameter, written once for both backends.
#pragma once

#include "host_device.hpp"

namespace nst::shared {

// velocity = momentum·velocity − lr·g; x += velocity. Without momentum x −= lr·g and velocity is untouched.
NST_HOST_DEVICE inline void sgd_update(float& x, float g, float* velocity, float lr, float momentum) {
    if (momentum == 0.0f) {
        x -= lr * g;
        return;
    }
    const float v = momentum * *velocity - lr * g;
    *velocity = v;
    x += v;
}

}  // namespace nst::shared
