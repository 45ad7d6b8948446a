// The stand-in CUDA runtime's error calls, and the describe() libnst's CHECK_CUDA uses, for kernels run by
// the harness: a failed launch reads "cudaErrorLaunchFailure: ... (kernel harness: <why>)".
#include <cuda_runtime.h>  // the stand-in: tests/harness/include

#include <cstdio>
#include <string>

#include "cuda/cuda_check.hpp"
#include "scheduler.hpp"

cudaError_t cudaGetLastError() {
    const cudaError_t e = nst::harness::state().last_error;
    nst::harness::state().last_error = cudaSuccess;
    return e;
}

cudaError_t cudaPeekAtLastError() {
    return nst::harness::state().last_error;
}

const char* cudaGetErrorName(cudaError_t error) {
    switch (error) {
        case cudaSuccess: return "cudaSuccess";
        case cudaErrorInvalidValue: return "cudaErrorInvalidValue";
        case cudaErrorInvalidConfiguration: return "cudaErrorInvalidConfiguration";
        case cudaErrorLaunchFailure: return "cudaErrorLaunchFailure";
    }
    return "cudaErrorUnknown";
}

const char* cudaGetErrorString(cudaError_t error) {
    switch (error) {
        case cudaSuccess: return "no error";
        case cudaErrorInvalidValue: return "invalid argument";
        case cudaErrorInvalidConfiguration: return "invalid configuration argument";
        case cudaErrorLaunchFailure: return "unspecified launch failure";
    }
    return "unknown error";
}

namespace nst::cuda {

std::string describe(cudaError_t status) {
    std::string text = std::string(cudaGetErrorName(status)) + ": " + cudaGetErrorString(status);
    if (status != cudaSuccess && !nst::harness::last_error_message().empty())
        text += " (kernel harness: " + nst::harness::last_error_message() + ")";
    return text;
}

void log_cleanup_error(const char* what, cudaError_t status) noexcept {
    if (status != cudaSuccess) std::fprintf(stderr, "libnst: %s failed during cleanup\n", what);
}

}  // namespace nst::cuda
