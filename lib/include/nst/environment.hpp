// What libnst runs on: library versions, CUDA driver and devices (the report `nst --version` prints).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace nst {

struct GpuInfo {
    int index = 0;
    std::string name;
    std::size_t total_memory_bytes = 0;
    int compute_major = 0;
    int compute_minor = 0;
    int multiprocessors = 0;
};

struct Environment {
    std::string nst_version;
    std::string build_type;
    bool cuda_built = true;  // false: a CPU-only build, and every CUDA field below stays empty
    std::string cuda_architectures;
    int cuda_runtime_version = 0;  // 13000 = 13.0
    int cuda_driver_version = 0;   // 0: no CUDA driver
    int cudnn_version = 0;         // the loaded cuDNN, major*10000 + minor*100 + patch (cuDNN 9 scheme)
    int cudnn_build_version = 0;   // the cuDNN headers libnst was compiled with
    int cublas_major = 0, cublas_minor = 0, cublas_patch = 0;
    std::string blas;     // the CPU backend's BLAS (OpenBLAS build configuration)
    int cpu_threads = 0;  // OpenMP threads the CPU backend will use
    std::vector<GpuInfo> gpus;
    std::string no_gpu_reason;  // why `gpus` is empty, or why no GPU is usable
};

// Queries everything; never throws for a missing driver or device (that is recorded instead).
Environment probe_environment();

// Multi-line report, one fact per line.
std::string format_environment(const Environment& env);

// "9.19.0" from 91900; handles the cuDNN 8 scheme (major*1000 + minor*100 + patch) too.
std::string format_cudnn_version(int version);
// "13.0" from 13000.
std::string format_cuda_version(int version);

}  // namespace nst
