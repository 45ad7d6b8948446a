// CHECK_CUDA / CHECK_CUBLAS / CHECK_CUDNN / CHECK_LAUNCH: turn a failed CUDA, cuBLAS or cuDNN call into
// nst::Error carrying the statement, file:line and the library's own message. Host-only, private to libnst.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>
#include <cudnn.h>

#include <string>

#include "nst/error.hpp"

namespace nst::cuda {

std::string describe(cudaError_t status);
std::string describe(cublasStatus_t status);
// Includes cudnnGetLastErrorString's detail when cuDNN recorded one.
std::string describe(cudnnStatus_t status);

// For destructors, which must not throw: prints "libnst: <what> failed during cleanup: <message>" to
// stderr when status is not success.
void log_cleanup_error(const char* what, cudaError_t status) noexcept;
void log_cleanup_error(const char* what, cublasStatus_t status) noexcept;
void log_cleanup_error(const char* what, cudnnStatus_t status) noexcept;

}  // namespace nst::cuda

#define NST_CHECK_STATUS_(stmt, ok_expr)                                                                   \
    do {                                                                                                   \
        const auto nst_status_ = (stmt);                                                                   \
        if (!(ok_expr)) throw ::nst::Error(#stmt, __FILE__, __LINE__, ::nst::cuda::describe(nst_status_)); \
    } while (0)

#define CHECK_CUDA(stmt) NST_CHECK_STATUS_(stmt, nst_status_ == cudaSuccess)
#define CHECK_CUBLAS(stmt) NST_CHECK_STATUS_(stmt, nst_status_ == CUBLAS_STATUS_SUCCESS)
#define CHECK_CUDNN(stmt) NST_CHECK_STATUS_(stmt, nst_status_ == CUDNN_STATUS_SUCCESS)
// After every <<<...>>> launch, in its launcher: a bad configuration shows up here, not three calls later.
#define CHECK_LAUNCH() CHECK_CUDA(cudaGetLastError())
