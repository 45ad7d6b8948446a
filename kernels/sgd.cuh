// Keras's SGD step on the GPU over a whole parameter arena (shared/sgd.hpp's update).
#pragma once

#include <cstddef>

#include "launch.cuh"
#include "shared/sgd.hpp"

namespace nst::kernels {

inline void sgd_step(float* x, const float* g, float* velocity, std::size_t n, float lr, float momentum,
                     cudaStream_t stream) {
    for_each_index(n, stream, [=] __device__(std::size_t i) {
        shared::sgd_update(x[i], g[i], momentum == 0.0f ? nullptr : velocity + i, lr, momentum);
    });
}

}  // namespace nst::kernels
