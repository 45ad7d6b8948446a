#include "cuda_check.hpp"
#include "cublas_check.hpp"
#include "cudnn_check.hpp"

#include <cstdio>

namespace nst::cuda {

std::string describe(cudaError_t status) {
    return std::string(cudaGetErrorName(status)) + ": " + cudaGetErrorString(status);
}

std::string describe(cublasStatus_t status) {
    return std::string(cublasGetStatusName(status)) + ": " + cublasGetStatusString(status);
}

std::string describe(cudnnStatus_t status) {
    std::string text = cudnnGetErrorString(status);
    char detail[512] = {};
    cudnnGetLastErrorString(detail, sizeof detail);
    if (detail[0] != '\0') text += std::string(" (") + detail + ")";
    return text;
}

namespace {

template <class Status>
void log_cleanup(const char* what, Status status) noexcept {
    try {
        std::fprintf(stderr, "libnst: %s failed during cleanup: %s\n", what, describe(status).c_str());
    } catch (...) {
        std::fprintf(stderr, "libnst: %s failed during cleanup\n", what);
    }
}

}  // namespace

void log_cleanup_error(const char* what, cudaError_t status) noexcept {
    if (status != cudaSuccess) log_cleanup(what, status);
}
void log_cleanup_error(const char* what, cublasStatus_t status) noexcept {
    if (status != CUBLAS_STATUS_SUCCESS) log_cleanup(what, status);
}
void log_cleanup_error(const char* what, cudnnStatus_t status) noexcept {
    if (status != CUDNN_STATUS_SUCCESS) log_cleanup(what, status);
}

}  // namespace nst::cuda
