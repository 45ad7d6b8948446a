// The Gram matrix's and the style loss's own kernels; the GEMMs themselves are cuBLAS calls (gram.cu).
// G: C x C; with SSYRK only its upper triangle is written, and mirror_upper_to_lower completes it. The
// style loss's G − A and Σ(G − A)² take one pass of reduce.cuh's reduction.
#pragma once

#include <cstddef>

#include "launch.cuh"
#include "reduce.cuh"

namespace nst::kernels {

// G: C x C column-major with its upper triangle (i <= j) set: copies it to the lower one.
inline void mirror_upper_to_lower(float* G, int channels, cudaStream_t stream) {
    const std::size_t c = static_cast<std::size_t>(channels);
    for_each_index(c * c, stream, [=] __device__(std::size_t k) {
        const std::size_t i = k % c, j = k / c;  // column-major (i, j)
        if (i > j) G[k] = G[j + i * c];
    });
}

// Writes d[i] − a[i] back to d while summing its square: each element is visited by exactly one thread.
struct SubtractAndSquare {
    float* d;
    const float* a;
    __device__ double operator()(std::size_t i) const {
        const double diff = static_cast<double>(d[i]) - static_cast<double>(a[i]);
        d[i] = d[i] - a[i];
        return diff * diff;
    }
};

// d[i] −= a[i] for all i, and *out = scale * Σ (d[i] − a[i])² (before the subtraction).
inline void subtract_and_square_sum(float* d, const float* a, std::size_t n, double scale, double* partials,
                                    float* out, cudaStream_t stream) {
    reduce(SubtractAndSquare{d, a}, n, scale, partials, out, stream);
}

}  // namespace nst::kernels
