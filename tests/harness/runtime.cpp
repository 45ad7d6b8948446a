// The kernel tests' CUDA runtime: launches run at once (on host memory), the error calls, and the
// describe() libnst's CHECK_CUDA uses: a failed launch reads "cudaErrorLaunchFailure: ... (kernel harness:
// <why>)". The emulated CUDA device (emulator/) is the other runtime behind the same header.
#include <cuda_runtime.h>  // the stand-in: tests/harness/include

#include <cstdio>
#include <string>

#include "cuda/cuda_check.hpp"
#include "scheduler.hpp"

namespace nst::harness {

void submit(cudaStream_t, const char*, dim3 grid, dim3 block, std::size_t shared_bytes, std::vector<const void*>,
            std::function<void()> thread_body) {
    run_grid(grid, block, shared_bytes, thread_body);
}

}  // namespace nst::harness

cudaError_t cudaGetLastError() {
    const cudaError_t e = nst::harness::state().last_error;
    nst::harness::state().last_error = cudaSuccess;
    return e;
}

cudaError_t cudaPeekAtLastError() {
    return nst::harness::state().last_error;
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
