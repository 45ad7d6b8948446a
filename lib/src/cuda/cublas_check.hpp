// CHECK_CUBLAS: the same as CHECK_CUDA (cuda_check.hpp) for cuBLAS statuses. Needs only cuBLAS's header, so
// the kernels' headers that call cuBLAS (kernels/gram.cuh) stay free of cuDNN. Private to libnst.
#pragma once

#include <cublas_v2.h>

#include <string>

#include "cuda_check.hpp"

namespace nst::cuda {

std::string describe(cublasStatus_t status);
void log_cleanup_error(const char* what, cublasStatus_t status) noexcept;

}  // namespace nst::cuda

#define CHECK_CUBLAS(stmt) NST_CHECK_STATUS_(stmt, nst_status_ == CUBLAS_STATUS_SUCCESS)
