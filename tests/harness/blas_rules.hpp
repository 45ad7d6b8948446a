// cuBLAS's rules and arithmetic for the calls libnst makes, shared by the two cuBLAS stand-ins (the kernel
// tests' cublas_shim.cpp and the emulated device's emulator/cublas.cpp): the argument checks cuBLAS's
// documentation lists (CUBLAS_STATUS_INVALID_VALUE), and the result by OpenBLAS in cuBLAS's column-major
// meaning. Private to the harness.
#pragma once

#include <cublas_v2.h>  // the stand-in

#include <cstddef>
#include <string>

namespace nst::harness {

struct Gemm {
    cublasOperation_t transa, transb;
    int m, n, k, lda, ldb, ldc;
};
struct Syrk {
    cublasFillMode_t uplo;
    cublasOperation_t trans;
    int n, k, lda, ldc;
};

cublasStatus_t check(const Gemm& g);
cublasStatus_t check(const Syrk& s);
std::string text(const Gemm& g);  // "sgemm T N m=3 n=3 k=17 lda=17 ldb=17 ldc=3"
std::string text(const Syrk& s);

// The elements a column-major operand of `rows` x `cols` with leading dimension `ld` spans (0 when empty).
std::size_t span(int rows, int cols, int ld);
// The spans of A, B and C (Syrk: A and C; B = 0).
void spans(const Gemm& g, std::size_t* a, std::size_t* b, std::size_t* c);
void spans(const Syrk& s, std::size_t* a, std::size_t* c);

// C = alpha op(A) op(B) + beta C. With beta = 0, C is not read (cuBLAS's rule): it is zeroed first.
void compute(const Gemm& g, float alpha, const float* A, const float* B, float beta, float* C);
// The `uplo` triangle of C only.
void compute(const Syrk& s, float alpha, const float* A, float beta, float* C);

}  // namespace nst::harness
