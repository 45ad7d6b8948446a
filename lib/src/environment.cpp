#include "nst/environment.hpp"

#include <cblas.h>
#include <cublas_api.h>
#include <cuda_runtime.h>
#include <cudnn.h>
#include <omp.h>

#include <cstdio>
#include <sstream>

#include "nst/device.hpp"
#include "nst/version.hpp"

namespace nst {

std::string format_cudnn_version(int version) {
    // cuDNN 9: major*10000 + minor*100 + patch; cuDNN <= 8: major*1000 + minor*100 + patch.
    const int major = version >= 90000 ? version / 10000 : version / 1000;
    const int rest = version >= 90000 ? version % 10000 : version % 1000;
    return std::to_string(major) + "." + std::to_string(rest / 100) + "." + std::to_string(rest % 100);
}

std::string format_cuda_version(int version) {
    return std::to_string(version / 1000) + "." + std::to_string((version % 1000) / 10);
}

Environment probe_environment() {
    Environment env;
    env.nst_version = version();
    env.build_type = build_type();
    env.cuda_architectures = cuda_architectures();
    cudaRuntimeGetVersion(&env.cuda_runtime_version);
    if (cudaDriverGetVersion(&env.cuda_driver_version) != cudaSuccess) env.cuda_driver_version = 0;
    env.cudnn_version = static_cast<int>(cudnnGetVersion());
    env.cudnn_build_version = CUDNN_VERSION;
    cublasGetProperty(MAJOR_VERSION, &env.cublas_major);
    cublasGetProperty(MINOR_VERSION, &env.cublas_minor);
    cublasGetProperty(PATCH_LEVEL, &env.cublas_patch);
    env.blas = openblas_get_config();
    env.cpu_threads = omp_get_max_threads();

    int count = 0;
    const cudaError_t status = cudaGetDeviceCount(&count);
    if (status != cudaSuccess) {
        env.no_gpu_reason = std::string("cudaGetDeviceCount: ") + cudaGetErrorString(status);
        cudaGetLastError();  // do not leave the error for the next runtime call to report
        return env;
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
    return env;
}

std::string format_environment(const Environment& env) {
    std::ostringstream out;
    out << "libnst " << env.nst_version << " (" << env.build_type << "; CUDA architectures "
        << env.cuda_architectures << ")\n";
    out << "CUDA runtime " << format_cuda_version(env.cuda_runtime_version) << ", driver ";
    if (env.cuda_driver_version == 0)
        out << "none (no CUDA driver)\n";
    else
        out << format_cuda_version(env.cuda_driver_version) << "\n";
    out << "cuDNN " << format_cudnn_version(env.cudnn_version) << " (built against "
        << format_cudnn_version(env.cudnn_build_version) << ")\n";
    out << "cuBLAS " << env.cublas_major << "." << env.cublas_minor << "." << env.cublas_patch << "\n";
    out << "CPU backend: " << env.blas << ", " << env.cpu_threads << " OpenMP threads\n";
    if (env.gpus.empty()) {
        out << "GPU: no CUDA device — the CPU backend will be used";
        if (!env.no_gpu_reason.empty()) out << " (" << env.no_gpu_reason << ")";
        out << "\n";
    } else {
        for (const GpuInfo& g : env.gpus) {
            char memory[32];
            std::snprintf(memory, sizeof memory, "%.1f GiB",
                          static_cast<double>(g.total_memory_bytes) / (1024.0 * 1024.0 * 1024.0));
            out << "GPU " << g.index << ": " << g.name << ", " << memory << ", compute capability "
                << g.compute_major << "." << g.compute_minor << ", " << g.multiprocessors << " SMs\n";
        }
        if (!env.no_gpu_reason.empty())
            out << "GPU not usable — the CPU backend will be used (" << env.no_gpu_reason << ")\n";
    }
    return out.str();
}

}  // namespace nst
