// Deterministic reductions on the GPU: a fixed grid of kReduceBlocks blocks, each thread summing a fixed
// strided set of elements in double, a fixed tree in shared memory, then one block summing the partials in
// a fixed tree. No atomics: two runs give bit-identical results. The result, times `scale`, is written as
// float to device memory (`out`), so callers never wait for it. Other ops' reductions (the style, content
// and TV losses) use reduce() with their own term.
#pragma once

#include <cstddef>

#include "launch.cuh"

namespace nst::kernels {

// Doubles of scratch every reduction needs (one per block of the first pass).
constexpr int kReduceBlocks = 256;
constexpr int kReduceThreads = 256;

// Sums term(i) over i = thread, thread + stride, ... in double, then the block's threads in a fixed tree:
// partials[blockIdx.x]. Fixed grid and fixed order: deterministic. Templated on the term so that each
// reduction reads its inputs once, in the same pass.
template <class Term>
__global__ void partial_sums_kernel(Term term, std::size_t n, double* partials) {
    __shared__ double cache[kReduceThreads];
    double s = 0.0;
    for (std::size_t i : grid_stride(n)) s += term(i);
    cache[threadIdx.x] = s;
    __syncthreads();
    for (int half = kReduceThreads / 2; half > 0; half /= 2) {
        if (static_cast<int>(threadIdx.x) < half) cache[threadIdx.x] += cache[threadIdx.x + half];
        __syncthreads();
    }
    if (threadIdx.x == 0) partials[blockIdx.x] = cache[0];
}

// The sum of v over a block of Threads threads (Threads a power of two, blockDim.x == Threads) in a fixed
// tree through `cache` (Threads doubles of shared memory); every thread gets it. Ends with a barrier, so the
// cache can be used again at once. For kernels that reduce one slice per block (per-channel sums).
template <int Threads>
__device__ double block_sum(double v, double* cache) {
    cache[threadIdx.x] = v;
    __syncthreads();
    for (int half = Threads / 2; half > 0; half /= 2) {
        if (static_cast<int>(threadIdx.x) < half) cache[threadIdx.x] += cache[threadIdx.x + half];
        __syncthreads();
    }
    const double total = cache[0];
    __syncthreads();
    return total;
}

// One block: *out = scale * Σ partials, in a fixed tree.
NST_KERNEL void finish_kernel(const double* partials, double scale, float* out) {
    __shared__ double cache[kReduceBlocks];
    cache[threadIdx.x] = partials[threadIdx.x];
    __syncthreads();
    for (int half = kReduceBlocks / 2; half > 0; half /= 2) {
        if (static_cast<int>(threadIdx.x) < half) cache[threadIdx.x] += cache[threadIdx.x + half];
        __syncthreads();
    }
    if (threadIdx.x == 0) *out = static_cast<float>(scale * cache[0]);
}

// *out = scale * Σ_{i < n} term(i). partials: kReduceBlocks doubles of device scratch.
template <class Term>
void reduce(Term term, std::size_t n, double scale, double* partials, float* out, cudaStream_t stream) {
    launch(partial_sums_kernel<Term>, dim3(kReduceBlocks), dim3(kReduceThreads), 0, stream, term, n, partials);
    launch(finish_kernel, dim3(1), dim3(kReduceBlocks), 0, stream, partials, scale, out);
}

// The terms: each a small struct (not a lambda) so that reduce() has one instantiation per kind.
struct SquaredDifference {
    const float* a;
    const float* b;
    __device__ double operator()(std::size_t i) const {
        const double d = static_cast<double>(a[i]) - static_cast<double>(b[i]);
        return d * d;
    }
};

struct Value {
    const float* a;
    __device__ double operator()(std::size_t i) const { return static_cast<double>(a[i]); }
};

struct Product {
    const float* a;
    const float* b;
    __device__ double operator()(std::size_t i) const { return static_cast<double>(a[i]) * static_cast<double>(b[i]); }
};

// *out = scale * Σ (a[i] − b[i])²
inline void squared_difference_sum(const float* a, const float* b, std::size_t n, double scale, double* partials,
                                   float* out, cudaStream_t stream) {
    reduce(SquaredDifference{a, b}, n, scale, partials, out, stream);
}
// *out = scale * Σ a[i]
inline void sum(const float* a, std::size_t n, double scale, double* partials, float* out, cudaStream_t stream) {
    reduce(Value{a}, n, scale, partials, out, stream);
}
// *out = scale * Σ a[i] b[i]
inline void dot(const float* a, const float* b, std::size_t n, double scale, double* partials, float* out,
                cudaStream_t stream) {
    reduce(Product{a, b}, n, scale, partials, out, stream);
}

}  // namespace nst::kernels
