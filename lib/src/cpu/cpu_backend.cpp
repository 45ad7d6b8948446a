// CPU backend: construction, memory and timing. The ops are in <op>.cpp beside this file.
#include "cpu_backend.hpp"

#include <cblas.h>
#include <omp.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "nst/error.hpp"

namespace nst::cpu {

namespace {

void release_host(float* data, std::size_t size, void* context) noexcept {
    std::free(data);
    static_cast<MemoryCounter*>(context)->remove(size * sizeof(float));
}

}  // namespace

CpuBackend::CpuBackend(const BackendOptions& options)
    : OpBackend(options),
      threads_(options.cpu_threads > 0 ? options.cpu_threads : omp_get_max_threads()),
      memory_(std::make_shared<MemoryCounter>()) {
    if (options.cpu_threads > 0) openblas_set_num_threads(options.cpu_threads);
}

std::string CpuBackend::description() const {
    return std::string("cpu: ") + openblas_get_corename() + " OpenBLAS, " + std::to_string(threads_) + " threads";
}

Buffer CpuBackend::allocate(std::size_t count) {
    if (count == 0) return {};
    // 64-byte alignment for SIMD; aligned_alloc wants a multiple of the alignment.
    const std::size_t bytes = (count * sizeof(float) + 63) / 64 * 64;
    auto* p = static_cast<float*>(std::aligned_alloc(64, bytes));
    if (p == nullptr) throw Error("cpu backend: cannot allocate " + std::to_string(bytes >> 20) + " MiB");
    memory_->add(count * sizeof(float));
    return Buffer(p, count, release_host, memory_);
}

void CpuBackend::upload(const float* host, float* dst, std::size_t count) {
    if (count > 0) std::memcpy(dst, host, count * sizeof(float));
}

void CpuBackend::download(const float* src, float* host, std::size_t count) {
    if (count > 0) std::memcpy(host, src, count * sizeof(float));
}

void CpuBackend::copy(const float* src, float* dst, std::size_t count) {
    if (count > 0) std::memmove(dst, src, count * sizeof(float));
}

std::size_t CpuBackend::available_memory() const {
    // MemAvailable from /proc/meminfo (kB): what the kernel says can be allocated without swapping.
    std::FILE* f = std::fopen("/proc/meminfo", "r");
    std::size_t kb = 0;
    if (f != nullptr) {
        char line[256];
        while (std::fgets(line, sizeof line, f) != nullptr)
            if (std::sscanf(line, "MemAvailable: %zu kB", &kb) == 1) break;
        std::fclose(f);
    }
    if (kb == 0) kb = static_cast<std::size_t>(sysconf(_SC_AVPHYS_PAGES)) * static_cast<std::size_t>(sysconf(_SC_PAGESIZE)) / 1024;
    return kb * 1024;
}

double CpuBackend::time_ms(const std::function<void()>& work) {
    const auto start = std::chrono::steady_clock::now();
    work();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

void CpuBackend::flush_cache() {
    // 64 MiB: more than the last-level cache of the CPUs this runs on.
    if (flush_.empty()) {
        std::vector<float>(std::size_t(16) << 20).swap(flush_);
        memory_->add(flush_.size() * sizeof(float));
    }
    for (float& v : flush_) v += 1.0f;
}

// Grows to exactly `count` floats (counted in memory_in_use and the peak), never shrinks.
float* CpuBackend::workspace(std::size_t count) {
    if (workspace_.size() < count) {
        memory_->remove(workspace_.size() * sizeof(float));
        std::vector<float>().swap(workspace_);  // free first: the new one may need the room
        std::vector<float>(count).swap(workspace_);
        memory_->add(count * sizeof(float));
    }
    return workspace_.data();
}

CpuBackend::~CpuBackend() {
    memory_->remove((workspace_.size() + flush_.size()) * sizeof(float));
}

}  // namespace nst::cpu

namespace nst {

std::unique_ptr<OpBackend> make_cpu_op_backend(const BackendOptions& options) {
    return std::make_unique<cpu::CpuBackend>(options);
}

}  // namespace nst
