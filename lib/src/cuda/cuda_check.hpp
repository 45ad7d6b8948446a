// CHECK_CUDA / CHECK_LAUNCH: turn a failed CUDA runtime call or kernel launch into nst::Error carrying the
// statement, file:line and CUDA's own message. Needs only the CUDA runtime, so the kernels' headers can use
// it without cuDNN or cuBLAS (cublas_check.hpp and cudnn_check.hpp add those). Private to libnst.
#pragma once

#include <cuda_runtime.h>

#include <string>

#include "nst/error.hpp"

namespace nst::cuda {

std::string describe(cudaError_t status);

// For destructors, which must not throw: prints "libnst: <what> failed during cleanup: <message>" to
// stderr when status is not success.
void log_cleanup_error(const char* what, cudaError_t status) noexcept;

}  // namespace nst::cuda

#define NST_CHECK_STATUS_(stmt, ok_expr)                                                                   \
    do {                                                                                                   \
        const auto nst_status_ = (stmt);                                                                   \
        if (!(ok_expr)) throw ::nst::Error(#stmt, __FILE__, __LINE__, ::nst::cuda::describe(nst_status_)); \
    } while (0)

#define CHECK_CUDA(stmt) NST_CHECK_STATUS_(stmt, nst_status_ == cudaSuccess)
// After every <<<...>>> launch (kernels/launch.cuh does it for every kernel): a bad configuration shows up
// there, not three calls later.
#define CHECK_LAUNCH() CHECK_CUDA(cudaGetLastError())
