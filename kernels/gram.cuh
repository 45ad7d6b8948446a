// The Gram matrix and the style loss on the GPU: cuBLAS GEMMs plus libnst's own kernels. G: C x C; with
// SSYRK only its upper triangle is written and mirror_upper_to_lower completes it; the style loss's G − A
// and Σ(G − A)² take one pass of reduce.cuh's reduction. Row-major F: C x M is column-major M x C with
// leading dimension M (docs/cuda-notes.md). Needs cuBLAS, not cuDNN (the kernel tests answer these cuBLAS
// calls with OpenBLAS).
#pragma once

#include <cstddef>
#include <cstdint>

#include "cuda/cublas_check.hpp"
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

// G = F Fᵀ (C x C, both triangles) for row-major F: C x M, on the handle's stream. M < 2³¹ (cuBLAS's int).
inline void gram(cublasHandle_t blas, const float* F, int C, int M, bool syrk, float* G, cudaStream_t stream) {
    const float one = 1.0f, zero = 0.0f;
    if (syrk) {
        // SSYRK writes only the upper triangle (column-major); the mirror kernel fills the lower one.
        CHECK_CUBLAS(cublasSsyrk(blas, CUBLAS_FILL_MODE_UPPER, CUBLAS_OP_T, C, M, &one, F, M, &zero, G, C));
        mirror_upper_to_lower(G, C, stream);
    } else {
        // G (C x C) = Fᵀ F in column-major terms, i.e. F Fᵀ for the row-major C x M matrix.
        CHECK_CUBLAS(cublasSgemm(blas, CUBLAS_OP_T, CUBLAS_OP_N, C, C, M, &one, F, M, F, M, &zero, G, C));
    }
}

// The style loss of one layer against the target Gram matrix A, with G computed into D (C x C):
//   *loss = weight Σ(G−A)² / (4 C² M²),   dF (+)= weight (G−A) F / (C² M²)   (+= when accumulate)
inline void style_loss(cublasHandle_t blas, const float* F, int C, int M, const float* A, float* D, float weight,
                       bool syrk, double* partials, float* loss, float* dF, bool accumulate, cudaStream_t stream) {
    gram(blas, F, C, M, syrk, D, stream);
    const double c = C, m = M;
    subtract_and_square_sum(D, A, std::size_t(C) * C, weight / (4.0 * c * c * m * m), partials, loss, stream);
    // dF (C x M, row-major) = alpha D F + beta dF; column-major: dFᵀ (M x C) = Fᵀ (M x C) · D (C x C), D symmetric.
    const auto alpha = static_cast<float>(weight / (c * c * m * m));
    const float beta = accumulate ? 1.0f : 0.0f;
    CHECK_CUBLAS(cublasSgemm(blas, CUBLAS_OP_N, CUBLAS_OP_N, M, C, C, &alpha, F, M, D, C, &beta, dF, M));
}

}  // namespace nst::kernels
