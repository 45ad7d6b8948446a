// The crop on the GPU (shared/crop.hpp's index map): a window of a C x H x W tensor copied out packed, and
// its adjoint, the packed window added back into its place. One thread per window element.
#pragma once

#include <cstddef>

#include "launch.cuh"
#include "shared/crop.hpp"

namespace nst::kernels {

inline void crop_forward(int channels, int height, int width, CropWindow win, const float* x, float* y,
                         cudaStream_t stream) {
    const std::size_t n = std::size_t(channels) * std::size_t(win.height) * std::size_t(win.width);
    for_each_index(n, stream, [=] __device__(std::size_t i) { y[i] = x[shared::crop_source(i, height, width, win)]; });
}

inline void crop_backward(int channels, int height, int width, CropWindow win, const float* dy, float* dx,
                          cudaStream_t stream) {
    const std::size_t n = std::size_t(channels) * std::size_t(win.height) * std::size_t(win.width);
    for_each_index(n, stream,
                   [=] __device__(std::size_t i) { dx[shared::crop_source(i, height, width, win)] += dy[i]; });
}

}  // namespace nst::kernels
