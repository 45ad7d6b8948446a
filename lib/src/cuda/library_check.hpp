// CHECK_CUBLAS / CHECK_CUDNN: the same as CHECK_CUDA (cuda_check.hpp) for cuBLAS and cuDNN statuses, with
// cuDNN's own detail (cudnnGetLastErrorString) in the message. Private to libnst.
#pragma once

#include <cublas_v2.h>
#include <cudnn.h>

#include <string>

#include "cuda_check.hpp"

namespace nst::cuda {

std::string describe(cublasStatus_t status);
// Includes cudnnGetLastErrorString's detail when cuDNN recorded one.
std::string describe(cudnnStatus_t status);

void log_cleanup_error(const char* what, cublasStatus_t status) noexcept;
void log_cleanup_error(const char* what, cudnnStatus_t status) noexcept;

}  // namespace nst::cuda

#define CHECK_CUBLAS(stmt) NST_CHECK_STATUS_(stmt, nst_status_ == CUBLAS_STATUS_SUCCESS)
#define CHECK_CUDNN(stmt) NST_CHECK_STATUS_(stmt, nst_status_ == CUDNN_STATUS_SUCCESS)
