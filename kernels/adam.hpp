// One fused Adam step on device memory (both flavours: see nst::AdamFlavor).
#pragma once

#include <cuda_runtime.h>

#include <cstddef>

namespace nst::kernels {

// m = b1 m + (1−b1) g;  v = b2 v + (1−b2) g²;  x −= lr_t m / (sqrt(v) · inv_sqrt_c2 + eps)
// TensorFlow 1: lr_t = lr sqrt(1−b2^t)/(1−b1^t), inv_sqrt_c2 = 1. PyTorch: lr_t = lr/(1−b1^t),
// inv_sqrt_c2 = 1/sqrt(1−b2^t). The caller computes lr_t and inv_sqrt_c2 in double.
void adam_step(float* x, const float* g, float* m, float* v, std::size_t n, float lr_t, float inv_sqrt_c2, float b1,
               float b2, float eps, cudaStream_t stream);

}  // namespace nst::kernels
