// Gradient kernels of the content and total-variation losses, and the mirror that completes an SSYRK
// Gram matrix. (The loss values themselves are reductions: reduce.hpp.)
#pragma once

#include <cuda_runtime.h>

#include <cstddef>

namespace nst::kernels {

// dF = g (F − P), or dF += g (F − P) when accumulate.
void content_gradient(const float* F, const float* P, std::size_t n, float g, float* dF, bool accumulate,
                      cudaStream_t stream);
// dx += 2 weight ∂/∂x Σ[(x[h][w+1]−x[h][w])² + (x[h+1][w]−x[h][w])²] over `planes` planes of H x W.
void tv_gradient(const float* x, std::size_t planes, int height, int width, float weight, float* dx,
                 cudaStream_t stream);
// G: C x C column-major with its upper triangle (i <= j) set: copies it to the lower one.
void mirror_upper_to_lower(float* G, int channels, cudaStream_t stream);

}  // namespace nst::kernels
