// 2x2/stride-2 pooling with TensorFlow 'SAME' padding for any size (cuDNN floors odd sizes; libnst uses
// cuDNN for even sizes and these kernels for odd ones).
#pragma once

#include <cuda_runtime.h>

#include <cstddef>

namespace nst::kernels {

// x: planes x H x W -> y: planes x ceil(H/2) x ceil(W/2). average: over the pixels that exist.
void same_pool_forward(const float* x, std::size_t planes, int height, int width, bool is_max, float* y,
                       cudaStream_t stream);
// dx from dy; max: the window's first maximum (row-major) takes the gradient, as on the CPU.
void same_pool_backward(const float* x, const float* y, const float* dy, std::size_t planes, int height, int width,
                        bool is_max, float* dx, cudaStream_t stream);

}  // namespace nst::kernels
