// CPU backend: memory, reductions, vector ops, Adam and image ops. Convolution, pooling and the losses are
// in cpu_conv.cpp, cpu_pool.cpp and cpu_loss.cpp.
#include "cpu_backend.hpp"

#include <cblas.h>
#include <unistd.h>
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>

#include "../adam_schedule.hpp"
#include "counter_rng.hpp"
#include "nst/error.hpp"

namespace nst::cpu {

namespace {

void release_host(float* data, std::size_t size, void* context) noexcept {
    std::free(data);
    static_cast<MemoryCounter*>(context)->remove(size * sizeof(float));
}

}  // namespace

CpuBackend::CpuBackend(const BackendOptions& options)
    : Backend(options),
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

void CpuBackend::fill(float* dst, std::size_t count, float value) {
    std::fill(dst, dst + count, value);
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
    if (flush_.empty()) flush_.resize(std::size_t(16) << 20);
    for (float& v : flush_) v += 1.0f;
}

float* CpuBackend::workspace(std::size_t count) {
    if (workspace_.size() < count) workspace_.resize(count);
    return workspace_.data();
}

// ---- reductions ----

void CpuBackend::squared_difference_sum(const float* a, const float* b, std::size_t count, float* out) {
    *out = static_cast<float>(ordered_sum(count, threads_, [=](std::size_t i) {
        const double d = static_cast<double>(a[i]) - b[i];
        return d * d;
    }));
}

void CpuBackend::sum(const float* a, std::size_t count, float* out) {
    *out = static_cast<float>(ordered_sum(count, threads_, [=](std::size_t i) { return static_cast<double>(a[i]); }));
}

void CpuBackend::dot(const float* a, const float* b, std::size_t count, float* out) {
    *out = static_cast<float>(
        ordered_sum(count, threads_, [=](std::size_t i) { return static_cast<double>(a[i]) * b[i]; }));
}

// ---- vector ops and Adam ----

void CpuBackend::axpy(float alpha, const float* x, float* y, std::size_t count) {
    const auto n = static_cast<std::int64_t>(count);
#pragma omp parallel for num_threads(threads_) schedule(static)
    for (std::int64_t i = 0; i < n; ++i) y[i] += alpha * x[i];
}

void CpuBackend::scale(float alpha, float* x, std::size_t count) {
    const auto n = static_cast<std::int64_t>(count);
#pragma omp parallel for num_threads(threads_) schedule(static)
    for (std::int64_t i = 0; i < n; ++i) x[i] *= alpha;
}

void CpuBackend::axpy_scalar(float sign, const float* alpha, const float* x, float* y, std::size_t count) {
    axpy(sign * *alpha, x, y, count);
}

void CpuBackend::scale_scalar(const float* alpha, float* x, std::size_t count) { scale(*alpha, x, count); }

void CpuBackend::scalar_ratio(const float* num, const float* den, float min_den, float fallback, float* out) {
    if (*den > min_den)
        *out = *num / *den;
    else if (fallback >= 0.0f)
        *out = fallback;
}

void CpuBackend::scalar_subtract(const float* a, const float* b, float* out) { *out = *a - *b; }

void CpuBackend::adam_step(float* x, const float* g, float* m, float* v, std::size_t count, int step,
                           const AdamParams& p) {
    const auto [lr_t, inv_sqrt_c2] = adam_step_scalars(p, step);
    const float b1 = p.beta1, b2 = p.beta2, eps = p.eps;
    const auto n = static_cast<std::int64_t>(count);
#pragma omp parallel for num_threads(threads_) schedule(static)
    for (std::int64_t i = 0; i < n; ++i) {
        const float gi = g[i];
        const float mi = b1 * m[i] + (1.0f - b1) * gi;
        const float vi = b2 * v[i] + (1.0f - b2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        x[i] -= lr_t * mi / (std::sqrt(vi) * inv_sqrt_c2 + eps);
    }
}

// ---- images ----

void CpuBackend::image_to_tensor(const std::uint8_t* rgb, int height, int width, const float mean[3], float* x) {
    const std::int64_t plane = static_cast<std::int64_t>(height) * width;
#pragma omp parallel for num_threads(threads_) schedule(static)
    for (std::int64_t i = 0; i < plane; ++i)
        for (int c = 0; c < 3; ++c) x[c * plane + i] = static_cast<float>(rgb[i * 3 + c]) - mean[c];
}

void CpuBackend::tensor_to_image(const float* x, int height, int width, const float mean[3], std::uint8_t* rgb) {
    const std::int64_t plane = static_cast<std::int64_t>(height) * width;
#pragma omp parallel for num_threads(threads_) schedule(static)
    for (std::int64_t i = 0; i < plane; ++i)
        for (int c = 0; c < 3; ++c) {
            const float v = std::min(std::max(x[c * plane + i] + mean[c], 0.0f), 255.0f);
            rgb[i * 3 + c] = static_cast<std::uint8_t>(std::floor(v + 0.5f));
        }
}

void CpuBackend::noise_init(const float* content, std::size_t count, std::uint64_t seed, float ratio, float* out) {
    const auto n = static_cast<std::int64_t>(count);
    const double r = ratio;
#pragma omp parallel for num_threads(threads_) schedule(static)
    for (std::int64_t i = 0; i < n; ++i) {
        // Exact in double (24-bit uniform times 40), one rounding to float: identical on the GPU.
        const double noise = -20.0 + 40.0 * rng::uniform24(rng::hash(seed, 0, static_cast<std::uint64_t>(i)));
        out[i] = static_cast<float>(r * noise + (1.0 - r) * static_cast<double>(content[i]));
    }
}

}  // namespace nst::cpu

namespace nst {

std::unique_ptr<Backend> make_cpu_backend(const BackendOptions& options) {
    return std::make_unique<cpu::CpuBackend>(options);
}

}  // namespace nst
