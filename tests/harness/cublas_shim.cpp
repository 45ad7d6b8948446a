// The cuBLAS stand-in for the kernel tests: cuBLAS's argument checks (the ones its documentation lists for
// these calls) and column-major semantics, computed by OpenBLAS.
#include <cblas.h>
#include <cublas_v2.h>  // the stand-in: tests/harness/include

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

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

bool valid(cublasOperation_t op) {
    return op == CUBLAS_OP_N || op == CUBLAS_OP_T || op == CUBLAS_OP_C;
}

CBLAS_TRANSPOSE to_cblas(cublasOperation_t op) {
    return op == CUBLAS_OP_N ? CblasNoTrans : CblasTrans;  // real data: C means T
}

const char* name(cublasOperation_t op) {
    return op == CUBLAS_OP_N ? "N" : op == CUBLAS_OP_T ? "T" : "C";
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

const char* cublasGetStatusName(cublasStatus_t status) {
    switch (status) {
        case CUBLAS_STATUS_SUCCESS: return "CUBLAS_STATUS_SUCCESS";
        case CUBLAS_STATUS_NOT_INITIALIZED: return "CUBLAS_STATUS_NOT_INITIALIZED";
        case CUBLAS_STATUS_ALLOC_FAILED: return "CUBLAS_STATUS_ALLOC_FAILED";
        case CUBLAS_STATUS_INVALID_VALUE: return "CUBLAS_STATUS_INVALID_VALUE";
    }
    return "CUBLAS_STATUS_UNKNOWN";
}

const char* cublasGetStatusString(cublasStatus_t status) {
    return status == CUBLAS_STATUS_INVALID_VALUE ? "an invalid numeric value was used as an argument"
                                                 : cublasGetStatusName(status);
}

cublasStatus_t cublasSgemm(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n,
                           int k, const float* alpha, const float* A, int lda, const float* B, int ldb,
                           const float* beta, float* C, int ldc) {
    calls().push_back(std::string("sgemm ") + name(transa) + " " + name(transb) + " m=" + std::to_string(m) +
                      " n=" + std::to_string(n) + " k=" + std::to_string(k) + " lda=" + std::to_string(lda) +
                      " ldb=" + std::to_string(ldb) + " ldc=" + std::to_string(ldc));
    if (handle == nullptr) return CUBLAS_STATUS_NOT_INITIALIZED;
    if (!valid(transa) || !valid(transb) || m < 0 || n < 0 || k < 0 ||
        lda < std::max(1, transa == CUBLAS_OP_N ? m : k) || ldb < std::max(1, transb == CUBLAS_OP_N ? k : n) ||
        ldc < std::max(1, m))
        return CUBLAS_STATUS_INVALID_VALUE;
    if (m == 0 || n == 0) return CUBLAS_STATUS_SUCCESS;
    cblas_sgemm(CblasColMajor, to_cblas(transa), to_cblas(transb), m, n, k, *alpha, A, lda, B, ldb, *beta, C, ldc);
    return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasSsyrk(cublasHandle_t handle, cublasFillMode_t uplo, cublasOperation_t trans, int n, int k,
                           const float* alpha, const float* A, int lda, const float* beta, float* C, int ldc) {
    calls().push_back(std::string("ssyrk ") + (uplo == CUBLAS_FILL_MODE_UPPER ? "U " : "L ") + name(trans) +
                      " n=" + std::to_string(n) + " k=" + std::to_string(k) + " lda=" + std::to_string(lda) +
                      " ldc=" + std::to_string(ldc));
    if (handle == nullptr) return CUBLAS_STATUS_NOT_INITIALIZED;
    if ((uplo != CUBLAS_FILL_MODE_LOWER && uplo != CUBLAS_FILL_MODE_UPPER) || !valid(trans) || n < 0 || k < 0 ||
        lda < std::max(1, trans == CUBLAS_OP_N ? n : k) || ldc < std::max(1, n))
        return CUBLAS_STATUS_INVALID_VALUE;
    if (n == 0) return CUBLAS_STATUS_SUCCESS;
    cblas_ssyrk(CblasColMajor, uplo == CUBLAS_FILL_MODE_UPPER ? CblasUpper : CblasLower, to_cblas(trans), n, k, *alpha,
                A, lda, *beta, C, ldc);
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
