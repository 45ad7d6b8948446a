// CHECK_CUDNN: the same as CHECK_CUDA (cuda_check.hpp) for cuDNN statuses, with cuDNN's own detail
// (cudnnGetLastErrorString) in the message. Private to libnst.
#pragma once

#include <cudnn.h>

#include <string>

#include "cuda_check.hpp"

namespace nst::cuda {

// Includes cudnnGetLastErrorString's detail when cuDNN recorded one.
std::string describe(cudnnStatus_t status);
void log_cleanup_error(const char* what, cudnnStatus_t status) noexcept;

}  // namespace nst::cuda

#define CHECK_CUDNN(stmt) NST_CHECK_STATUS_(stmt, nst_status_ == CUDNN_STATUS_SUCCESS)
