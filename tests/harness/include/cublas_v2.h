// The kernel harness's stand-in for cuBLAS's cublas_v2.h: the calls libnst makes (SGEMM, SSYRK), with
// cuBLAS's column-major meaning, argument checks and status codes, answered by OpenBLAS on the host
// (cublas_shim.cpp). So the Gram path's cuBLAS arguments and its mirror kernel run end to end in the kernel
// tests. Pointer mode is host (cuBLAS's default): alpha and beta are read where they point.
#pragma once

#include <cuda_runtime.h>

using cublasHandle_t = struct nst_harness_cublas*;

enum cublasStatus_t {
    CUBLAS_STATUS_SUCCESS = 0,
    CUBLAS_STATUS_NOT_INITIALIZED = 1,
    CUBLAS_STATUS_ALLOC_FAILED = 3,
    CUBLAS_STATUS_INVALID_VALUE = 7,
};
enum cublasOperation_t { CUBLAS_OP_N = 0, CUBLAS_OP_T = 1, CUBLAS_OP_C = 2 };
enum cublasFillMode_t { CUBLAS_FILL_MODE_LOWER = 0, CUBLAS_FILL_MODE_UPPER = 1, CUBLAS_FILL_MODE_FULL = 2 };

cublasStatus_t cublasCreate(cublasHandle_t* handle);
cublasStatus_t cublasDestroy(cublasHandle_t handle);
cublasStatus_t cublasSetStream(cublasHandle_t handle, cudaStream_t stream);
const char* cublasGetStatusName(cublasStatus_t status);
const char* cublasGetStatusString(cublasStatus_t status);

// C = alpha op(A) op(B) + beta C; C: m x n, column-major.
cublasStatus_t cublasSgemm(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n,
                           int k, const float* alpha, const float* A, int lda, const float* B, int ldb,
                           const float* beta, float* C, int ldc);
// C = alpha op(A) op(A)ᵀ + beta C on the `uplo` triangle of C (n x n) only; the other triangle is untouched.
cublasStatus_t cublasSsyrk(cublasHandle_t handle, cublasFillMode_t uplo, cublasOperation_t trans, int n, int k,
                           const float* alpha, const float* A, int lda, const float* beta, float* C, int ldc);
