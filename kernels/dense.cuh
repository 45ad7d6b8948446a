// A dense layer on the GPU: cuBLAS SGEMMs and two small kernels (the bias broadcast and the bias gradient,
// summed in double over the batch in order, as the CPU does). Row-major x: N x I is column-major I x N with
// leading dimension I, and w: I x O is column-major O x I with leading dimension O (docs/cuda-notes.md), so:
//   forward   y (O x N) = w (O x I) · x (I x N)       + b broadcast first, beta = 1
//   data      dx (I x N) = wᵀ (I x O) · dy (O x N)
//   weights   dw (O x I) = dy (O x N) · xᵀ (N x I)
// Needs cuBLAS, not cuDNN (the kernel tests answer these calls with OpenBLAS).
#pragma once

#include <cstddef>

#include "cuda/cublas_check.hpp"
#include "launch.cuh"

namespace nst::kernels {

inline void dense_forward(cublasHandle_t blas, int N, int I, int O, const float* x, const float* w, const float* b,
                          float* y, cudaStream_t stream) {
    const std::size_t outputs = static_cast<std::size_t>(O);
    for_each_index(std::size_t(N) * outputs, stream, [=] __device__(std::size_t i) { y[i] = b[i % outputs]; });
    const float one = 1.0f;
    CHECK_CUBLAS(cublasSgemm(blas, CUBLAS_OP_N, CUBLAS_OP_N, O, N, I, &one, w, O, x, I, &one, y, O));
}

inline void dense_backward_data(cublasHandle_t blas, int N, int I, int O, const float* w, const float* dy, float* dx) {
    const float one = 1.0f, zero = 0.0f;
    CHECK_CUBLAS(cublasSgemm(blas, CUBLAS_OP_T, CUBLAS_OP_N, I, N, O, &one, w, O, dy, O, &zero, dx, I));
}

inline void dense_backward_weights(cublasHandle_t blas, int N, int I, int O, const float* x, const float* dy, float* dw,
                                   float* db, bool accumulate, cudaStream_t stream) {
    const float one = 1.0f, beta = accumulate ? 1.0f : 0.0f;
    CHECK_CUBLAS(cublasSgemm(blas, CUBLAS_OP_N, CUBLAS_OP_T, O, I, N, &one, dy, O, x, I, &beta, dw, O));
    const std::size_t outputs = static_cast<std::size_t>(O), rows = static_cast<std::size_t>(N);
    for_each_index(outputs, stream, [=] __device__(std::size_t o) {
        double sum = 0.0;
        for (std::size_t n = 0; n < rows; ++n) sum += dy[n * outputs + o];
        db[o] = static_cast<float>(accumulate ? db[o] + sum : sum);
    });
}

}  // namespace nst::kernels
