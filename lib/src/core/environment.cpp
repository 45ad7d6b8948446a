#include "nst/environment.hpp"

#include <cblas.h>
#include <omp.h>

#include <cstdio>
#include <sstream>

#include "core/cuda_environment.hpp"
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

namespace detail {

namespace {

bool cudnn_serves(int loaded, int built) {
    return loaded / 10000 == built / 10000 && loaded >= 90000;
}

}  // namespace

std::string cudnn_refusal(int loaded, int built) {
    if (cudnn_serves(loaded, built)) return "";
    return "the loaded cuDNN " + format_cudnn_version(loaded) + " cannot serve libnst, built against cuDNN " +
           format_cudnn_version(built) + " (it needs cuDNN " + std::to_string(built / 10000) + ".x)";
}

std::string cudnn_older_note(int loaded, int built) {
    if (!cudnn_serves(loaded, built) || (loaded / 100) % 100 >= (built / 100) % 100) return "";
    return "older than the " + format_cudnn_version(built) +
           " libnst was built against: libnst calls only what cuDNN 9.0 has, though NVIDIA promises only newer minors";
}

}  // namespace detail

Environment probe_environment() {
    Environment env;
    env.nst_version = version();
    env.build_type = build_type();
    env.cuda_architectures = cuda_architectures();
    env.blas = openblas_get_config();
    env.cpu_threads = omp_get_max_threads();
    detail::probe_cuda(env);
    return env;
}

namespace {

void format_cuda_libraries(const Environment& env, std::ostringstream& out) {
    out << "CUDA runtime " << format_cuda_version(env.cuda_runtime_version) << ", driver ";
    if (env.cuda_driver_version == 0)
        out << "none (no CUDA driver)\n";
    else
        out << format_cuda_version(env.cuda_driver_version) << "\n";
    out << "cuDNN " << format_cudnn_version(env.cudnn_version) << " (built against "
        << format_cudnn_version(env.cudnn_build_version) << ")";
    const std::string older = detail::cudnn_older_note(env.cudnn_version, env.cudnn_build_version);
    if (!older.empty()) out << ": " << older;
    out << "\n";
    out << "cuBLAS " << env.cublas_major << "." << env.cublas_minor << "." << env.cublas_patch << "\n";
}

void format_gpus(const Environment& env, std::ostringstream& out) {
    if (env.gpus.empty()) {
        out << "GPU: no CUDA device — the CPU backend will be used";
        if (!env.no_gpu_reason.empty()) out << " (" << env.no_gpu_reason << ")";
        out << "\n";
        return;
    }
    for (const GpuInfo& g : env.gpus) {
        char memory[32];
        std::snprintf(memory, sizeof memory, "%.1f GiB",
                      static_cast<double>(g.total_memory_bytes) / (1024.0 * 1024.0 * 1024.0));
        out << "GPU " << g.index << ": " << g.name << ", " << memory << ", compute capability " << g.compute_major
            << "." << g.compute_minor << ", " << g.multiprocessors << " SMs\n";
    }
    if (!env.no_gpu_reason.empty())
        out << "GPU not usable — the CPU backend will be used (" << env.no_gpu_reason << ")\n";
}

}  // namespace

std::string format_environment(const Environment& env) {
    std::ostringstream out;
    if (!env.cuda_built) {
        out << "libnst " << env.nst_version << " (" << env.build_type << "; CPU only, built without CUDA)\n";
        out << "CPU backend: " << env.blas << ", " << env.cpu_threads << " OpenMP threads\n";
        out << "GPU: none used — " << env.no_gpu_reason << "\n";
        return out.str();
    }
    out << "libnst " << env.nst_version << " (" << env.build_type << "; CUDA architectures "
        << env.cuda_architectures << ")\n";
    format_cuda_libraries(env, out);
    out << "CPU backend: " << env.blas << ", " << env.cpu_threads << " OpenMP threads\n";
    format_gpus(env, out);
    return out.str();
}

}  // namespace nst
