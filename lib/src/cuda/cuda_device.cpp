// The CUDA build's answers about the machine: whether a device is usable, and the versions and GPUs that
// `nst --version` reports.
#include <cublas_api.h>
#include <cuda_runtime.h>
#include <cudnn.h>

#include "core/cuda_environment.hpp"
#include "nst/device.hpp"
#include "nst/environment.hpp"

namespace nst {

int cuda_device_count() noexcept {
    int count = 0;
    if (cudaGetDeviceCount(&count) != cudaSuccess) {
        cudaGetLastError();
        return 0;
    }
    return count;
}

bool cuda_device_usable(std::string* why, int index) {
    auto fail = [why](std::string reason) {
        if (why != nullptr) *why = std::move(reason);
        return false;
    };
    int count = 0;
    cudaError_t status = cudaGetDeviceCount(&count);
    if (status != cudaSuccess) {
        cudaGetLastError();
        return fail(std::string("cudaGetDeviceCount: ") + cudaGetErrorString(status));
    }
    if (count == 0) return fail("no CUDA device");
    if (index < 0 || index >= count)
        return fail("no CUDA device " + std::to_string(index) + " (" + std::to_string(count) + " devices)");
    status = cudaSetDevice(index);
    if (status == cudaSuccess) status = cudaFree(nullptr);  // creates the context
    if (status != cudaSuccess) {
        cudaGetLastError();
        return fail("cannot create a context on device " + std::to_string(index) + ": " + cudaGetErrorString(status));
    }
    // Any cuDNN 9.y serves libnst (it calls only what 9.0 has); an older minor than the build's is reported
    // by `nst --version` and the backend's description, not refused.
    const std::string refusal = detail::cudnn_refusal(static_cast<int>(cudnnGetVersion()), CUDNN_VERSION);
    if (!refusal.empty()) return fail(refusal);
    return true;
}

namespace detail {

namespace {

void probe_gpus(Environment& env) {
    int count = 0;
    const cudaError_t status = cudaGetDeviceCount(&count);
    if (status != cudaSuccess) {
        env.no_gpu_reason = std::string("cudaGetDeviceCount: ") + cudaGetErrorString(status);
        cudaGetLastError();  // do not leave the error for the next runtime call to report
        return;
    }
    for (int i = 0; i < count; ++i) {
        cudaDeviceProp prop{};
        if (cudaGetDeviceProperties(&prop, i) != cudaSuccess) {
            cudaGetLastError();
            continue;
        }
        env.gpus.push_back({i, prop.name, prop.totalGlobalMem, prop.major, prop.minor, prop.multiProcessorCount});
    }
    std::string why;
    if (!cuda_device_usable(&why)) env.no_gpu_reason = why;
}

}  // namespace

void probe_cuda(Environment& env) {
    env.cuda_built = true;
    cudaRuntimeGetVersion(&env.cuda_runtime_version);
    if (cudaDriverGetVersion(&env.cuda_driver_version) != cudaSuccess) env.cuda_driver_version = 0;
    env.cudnn_version = static_cast<int>(cudnnGetVersion());
    env.cudnn_build_version = CUDNN_VERSION;
    cublasGetProperty(MAJOR_VERSION, &env.cublas_major);
    cublasGetProperty(MINOR_VERSION, &env.cublas_minor);
    cublasGetProperty(PATCH_LEVEL, &env.cublas_patch);
    probe_gpus(env);
}

}  // namespace detail

}  // namespace nst
