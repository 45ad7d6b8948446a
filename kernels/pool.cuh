// 2x2/stride-2 pooling with TensorFlow 'SAME' padding at any size. cuDNN floors odd sizes, so the CUDA
// backend uses cuDNN when both sizes are even and these kernels when one is odd. The per-element formulas
// are shared/pool.hpp's, the ones the CPU backend runs.
#pragma once

#include <cstddef>

#include "launch.cuh"
#include "shared/pool.hpp"

namespace nst::kernels {

// x: planes x H x W -> y: planes x ceil(H/2) x ceil(W/2); one thread per output reads its (up to) 2x2 window.
inline void same_pool_forward(const float* x, std::size_t planes, int H, int W, bool is_max, float* y,
                              cudaStream_t stream) {
    const int OH = (H + 1) / 2, OW = (W + 1) / 2;
    const std::size_t out_plane = static_cast<std::size_t>(OH) * OW;
    for_each_index(planes * out_plane, stream, [=] __device__(std::size_t k) {
        const std::size_t p = k / out_plane;
        const int i = static_cast<int>((k % out_plane) / OW), j = static_cast<int>(k % OW);
        y[k] = shared::same_pool_output(x + p * H * W, H, W, i, j, is_max);
    });
}

// dx from dy; one thread per input (gather): each input belongs to exactly one window, so no atomics.
inline void same_pool_backward(const float* x, const float* y, const float* dy, std::size_t planes, int H, int W,
                               bool is_max, float* dx, cudaStream_t stream) {
    const int OH = (H + 1) / 2, OW = (W + 1) / 2;
    const std::size_t plane = static_cast<std::size_t>(H) * W;
    for_each_index(planes * plane, stream, [=] __device__(std::size_t k) {
        const std::size_t p = k / plane;
        const int h = static_cast<int>((k % plane) / W), w = static_cast<int>(k % W);
        const std::size_t o = p * OH * OW + static_cast<std::size_t>(h / 2) * OW + w / 2;
        dx[k] = shared::same_pool_input_gradient(x + p * plane, H, W, h, w, y[o], dy[o], is_max);
    });
}

}  // namespace nst::kernels
