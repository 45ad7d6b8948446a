// What the kernel tests can ask the cuBLAS stand-in (include/cublas_v2.h): the calls made, with arguments.
#pragma once

#include <cublas_v2.h>  // the stand-in

#include <string>
#include <vector>

namespace nst::harness {

// A stand-in cuBLAS handle for a test's lifetime.
struct BlasHandle {
    cublasHandle_t handle = nullptr;
    BlasHandle() { cublasCreate(&handle); }
    ~BlasHandle() { cublasDestroy(handle); }
    BlasHandle(const BlasHandle&) = delete;
    BlasHandle& operator=(const BlasHandle&) = delete;
};

// "sgemm T N m=3 n=3 k=17 lda=17 ldb=17 ldc=3" ... since the last clear_cublas_calls().
std::vector<std::string> cublas_calls();
void clear_cublas_calls();

}  // namespace nst::harness
