// Global average pooling on the GPU: one thread per (image, channel) mean, summed in double in order (as the
// CPU backend does); the backward spreads each gradient evenly over its plane.
#pragma once

#include <cstddef>

#include "launch.cuh"

namespace nst::kernels {

inline void global_avg_pool_forward(std::size_t planes, std::size_t pixels, const float* x, float* y,
                                    cudaStream_t stream) {
    for_each_index(planes, stream, [=] __device__(std::size_t p) {
        double sum = 0.0;
        for (std::size_t j = 0; j < pixels; ++j) sum += x[p * pixels + j];
        y[p] = static_cast<float>(sum / static_cast<double>(pixels));
    });
}

inline void global_avg_pool_backward(std::size_t planes, std::size_t pixels, const float* dy, float* dx,
                                     cudaStream_t stream) {
    const float inv = static_cast<float>(1.0 / static_cast<double>(pixels));
    for_each_index(planes * pixels, stream, [=] __device__(std::size_t i) { dx[i] = dy[i / pixels] * inv; });
}

}  // namespace nst::kernels
