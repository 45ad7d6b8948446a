// The cuBLAS stand-in for the kernel tests: on host memory, at once (blas_rules.cpp: cuBLAS's argument
// checks and column-major semantics, computed by OpenBLAS). The emulated device has its own (emulator/).
#include <cublas_v2.h>  // the stand-in: tests/harness/include

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "blas_rules.hpp"
#include "cublas_shim.hpp"
#include "cuda/cublas_check.hpp"

struct nst_harness_cublas {
    int unused = 0;
};

namespace {

std::vector<std::string>& calls() {
    static std::vector<std::string> log;
    return log;
}

}  // namespace

cublasStatus_t cublasCreate(cublasHandle_t* handle) {
    *handle = new nst_harness_cublas;
    return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasDestroy(cublasHandle_t handle) {
    delete handle;
    return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasSetStream(cublasHandle_t handle, cudaStream_t) {
    return handle == nullptr ? CUBLAS_STATUS_NOT_INITIALIZED : CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasSgemm(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n,
                           int k, const float* alpha, const float* A, int lda, const float* B, int ldb,
                           const float* beta, float* C, int ldc) {
    const nst::harness::Gemm g{transa, transb, m, n, k, lda, ldb, ldc};
    calls().push_back(nst::harness::text(g));
    if (handle == nullptr) return CUBLAS_STATUS_NOT_INITIALIZED;
    if (const cublasStatus_t s = nst::harness::check(g); s != CUBLAS_STATUS_SUCCESS) return s;
    nst::harness::compute(g, *alpha, A, B, *beta, C);
    return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasSsyrk(cublasHandle_t handle, cublasFillMode_t uplo, cublasOperation_t trans, int n, int k,
                           const float* alpha, const float* A, int lda, const float* beta, float* C, int ldc) {
    const nst::harness::Syrk y{uplo, trans, n, k, lda, ldc};
    calls().push_back(nst::harness::text(y));
    if (handle == nullptr) return CUBLAS_STATUS_NOT_INITIALIZED;
    if (const cublasStatus_t s = nst::harness::check(y); s != CUBLAS_STATUS_SUCCESS) return s;
    nst::harness::compute(y, *alpha, A, *beta, C);
    return CUBLAS_STATUS_SUCCESS;
}

namespace nst::harness {

std::vector<std::string> cublas_calls() {
    return calls();
}

void clear_cublas_calls() {
    calls().clear();
}

}  // namespace nst::harness

namespace nst::cuda {

std::string describe(cublasStatus_t status) {
    return std::string(cublasGetStatusName(status)) + ": " + cublasGetStatusString(status);
}

void log_cleanup_error(const char* what, cublasStatus_t status) noexcept {
    if (status != CUBLAS_STATUS_SUCCESS) std::fprintf(stderr, "libnst: %s failed during cleanup\n", what);
}

}  // namespace nst::cuda
