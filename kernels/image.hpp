// Image conversions and the notebook's noise initialisation, on device memory.
#pragma once

#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>

namespace nst::kernels {

// rgb: H x W x 3 uint8 (interleaved) -> x: 3 x H x W float, minus mean.
void image_to_tensor(const std::uint8_t* rgb, int height, int width, float mean_r, float mean_g, float mean_b, float* x,
                     cudaStream_t stream);
// x + mean, clamped to [0, 255], rounded to nearest (floor(v + 0.5)) -> rgb.
void tensor_to_image(const float* x, int height, int width, float mean_r, float mean_g, float mean_b, std::uint8_t* rgb,
                     cudaStream_t stream);
// out[i] = ratio * (−20 + 40 u(seed, i)) + (1 − ratio) * content[i], computed in double without
// contraction and rounded once: bit-identical to the CPU backend.
void noise_init(const float* content, std::size_t n, std::uint64_t seed, float ratio, float* out, cudaStream_t stream);

}  // namespace nst::kernels
