#include "blas_rules.hpp"

#include <cblas.h>

#include <algorithm>

namespace nst::harness {

namespace {

bool valid(cublasOperation_t op) {
    return op == CUBLAS_OP_N || op == CUBLAS_OP_T || op == CUBLAS_OP_C;
}

CBLAS_TRANSPOSE to_cblas(cublasOperation_t op) {
    return op == CUBLAS_OP_N ? CblasNoTrans : CblasTrans;  // real data: C means T
}

const char* name(cublasOperation_t op) {
    return op == CUBLAS_OP_N ? "N" : op == CUBLAS_OP_T ? "T" : "C";
}

// beta = 0: C is not read, so a NaN there must not survive (BLAS libraries differ on this; cuBLAS does not
// read it).
void zero_columns(float* C, int rows, int cols, int ld) {
    for (int j = 0; j < cols; ++j) std::fill_n(C + std::size_t(j) * ld, rows, 0.0f);
}

}  // namespace

cublasStatus_t check(const Gemm& g) {
    if (!valid(g.transa) || !valid(g.transb) || g.m < 0 || g.n < 0 || g.k < 0 ||
        g.lda < std::max(1, g.transa == CUBLAS_OP_N ? g.m : g.k) ||
        g.ldb < std::max(1, g.transb == CUBLAS_OP_N ? g.k : g.n) || g.ldc < std::max(1, g.m))
        return CUBLAS_STATUS_INVALID_VALUE;
    return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t check(const Syrk& s) {
    if ((s.uplo != CUBLAS_FILL_MODE_LOWER && s.uplo != CUBLAS_FILL_MODE_UPPER) || !valid(s.trans) || s.n < 0 ||
        s.k < 0 || s.lda < std::max(1, s.trans == CUBLAS_OP_N ? s.n : s.k) || s.ldc < std::max(1, s.n))
        return CUBLAS_STATUS_INVALID_VALUE;
    return CUBLAS_STATUS_SUCCESS;
}

std::string text(const Gemm& g) {
    return std::string("sgemm ") + name(g.transa) + " " + name(g.transb) + " m=" + std::to_string(g.m) +
           " n=" + std::to_string(g.n) + " k=" + std::to_string(g.k) + " lda=" + std::to_string(g.lda) +
           " ldb=" + std::to_string(g.ldb) + " ldc=" + std::to_string(g.ldc);
}

std::string text(const Syrk& s) {
    return std::string("ssyrk ") + (s.uplo == CUBLAS_FILL_MODE_UPPER ? "U " : "L ") + name(s.trans) +
           " n=" + std::to_string(s.n) + " k=" + std::to_string(s.k) + " lda=" + std::to_string(s.lda) +
           " ldc=" + std::to_string(s.ldc);
}

std::size_t span(int rows, int cols, int ld) {
    if (rows <= 0 || cols <= 0) return 0;
    return std::size_t(cols - 1) * std::size_t(ld) + std::size_t(rows);
}

void spans(const Gemm& g, std::size_t* a, std::size_t* b, std::size_t* c) {
    const bool empty = g.m == 0 || g.n == 0 || g.k == 0;
    *a = empty ? 0 : g.transa == CUBLAS_OP_N ? span(g.m, g.k, g.lda) : span(g.k, g.m, g.lda);
    *b = empty ? 0 : g.transb == CUBLAS_OP_N ? span(g.k, g.n, g.ldb) : span(g.n, g.k, g.ldb);
    *c = span(g.m, g.n, g.ldc);
}

void spans(const Syrk& s, std::size_t* a, std::size_t* c) {
    *a = s.n == 0 || s.k == 0 ? 0 : s.trans == CUBLAS_OP_N ? span(s.n, s.k, s.lda) : span(s.k, s.n, s.lda);
    *c = span(s.n, s.n, s.ldc);
}

void compute(const Gemm& g, float alpha, const float* A, const float* B, float beta, float* C) {
    if (g.m == 0 || g.n == 0) return;
    if (beta == 0.0f) zero_columns(C, g.m, g.n, g.ldc);
    if (g.k == 0) {  // C = beta C
        if (beta != 0.0f && beta != 1.0f)
            for (int j = 0; j < g.n; ++j)
                for (int i = 0; i < g.m; ++i) C[std::size_t(j) * g.ldc + i] *= beta;
        return;
    }
    cblas_sgemm(CblasColMajor, to_cblas(g.transa), to_cblas(g.transb), g.m, g.n, g.k, alpha, A, g.lda, B, g.ldb,
                beta, C, g.ldc);
}

void compute(const Syrk& s, float alpha, const float* A, float beta, float* C) {
    if (s.n == 0) return;
    if (beta == 0.0f)  // the triangle only: the other one is untouched
        for (int j = 0; j < s.n; ++j)
            for (int i = 0; i < s.n; ++i)
                if ((s.uplo == CUBLAS_FILL_MODE_UPPER) ? i <= j : i >= j) C[std::size_t(j) * s.ldc + i] = 0.0f;
    if (s.k == 0) return;
    cblas_ssyrk(CblasColMajor, s.uplo == CUBLAS_FILL_MODE_UPPER ? CblasUpper : CblasLower, to_cblas(s.trans), s.n, s.k,
                alpha, A, s.lda, beta, C, s.ldc);
}

}  // namespace nst::harness

const char* cublasGetStatusName(cublasStatus_t status) {
    switch (status) {
        case CUBLAS_STATUS_SUCCESS: return "CUBLAS_STATUS_SUCCESS";
        case CUBLAS_STATUS_NOT_INITIALIZED: return "CUBLAS_STATUS_NOT_INITIALIZED";
        case CUBLAS_STATUS_ALLOC_FAILED: return "CUBLAS_STATUS_ALLOC_FAILED";
        case CUBLAS_STATUS_INVALID_VALUE: return "CUBLAS_STATUS_INVALID_VALUE";
        case CUBLAS_STATUS_ARCH_MISMATCH: return "CUBLAS_STATUS_ARCH_MISMATCH";
        case CUBLAS_STATUS_MAPPING_ERROR: return "CUBLAS_STATUS_MAPPING_ERROR";
        case CUBLAS_STATUS_EXECUTION_FAILED: return "CUBLAS_STATUS_EXECUTION_FAILED";
        case CUBLAS_STATUS_INTERNAL_ERROR: return "CUBLAS_STATUS_INTERNAL_ERROR";
        case CUBLAS_STATUS_NOT_SUPPORTED: return "CUBLAS_STATUS_NOT_SUPPORTED";
    }
    return "CUBLAS_STATUS_UNKNOWN";
}

const char* cublasGetStatusString(cublasStatus_t status) {
    switch (status) {
        case CUBLAS_STATUS_INVALID_VALUE: return "an invalid numeric value was used as an argument";
        case CUBLAS_STATUS_EXECUTION_FAILED: return "the GPU program failed to execute";
        case CUBLAS_STATUS_NOT_INITIALIZED: return "the library was not initialized";
        default: return cublasGetStatusName(status);
    }
}
