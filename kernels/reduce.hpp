// Deterministic reductions on the GPU: a fixed grid of kReduceBlocks blocks, each thread summing a fixed
// strided set of elements in double, a fixed tree in shared memory, then one block summing the partials in
// a fixed tree. No atomics: two runs give bit-identical results. The result, times `scale`, is written as
// float to device memory (`out`), so callers never wait for it.
#pragma once

#include <cuda_runtime.h>

#include <cstddef>

namespace nst::kernels {

// Doubles of scratch every reduction needs (one per block of the first pass).
constexpr int kReduceBlocks = 256;

// *out = scale * Σ (a[i] − b[i])²
void squared_difference_sum(const float* a, const float* b, std::size_t n, double scale, double* partials, float* out,
                            cudaStream_t stream);
// *out = scale * Σ a[i]
void sum(const float* a, std::size_t n, double scale, double* partials, float* out, cudaStream_t stream);
// *out = scale * Σ a[i] b[i]
void dot(const float* a, const float* b, std::size_t n, double scale, double* partials, float* out,
         cudaStream_t stream);
// d[i] −= a[i] for all i, and *out = scale * Σ (d[i] − a[i])² (before the subtraction): the style loss's
// G − A and Σ(G − A)² in one pass.
void subtract_and_square_sum(float* d, const float* a, std::size_t n, double scale, double* partials, float* out,
                             cudaStream_t stream);
// *out = scale * Σ over N·C planes of H x W of (x[h][w+1] − x[h][w])² + (x[h+1][w] − x[h][w])²
void tv_sum(const float* x, std::size_t planes, int height, int width, double scale, double* partials, float* out,
            cudaStream_t stream);

}  // namespace nst::kernels
