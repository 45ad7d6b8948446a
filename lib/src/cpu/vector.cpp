// CPU vector ops: fill, axpy, scale, and L-BFGS's scalar ops (on the CPU the "device" scalars are plain
// memory, read directly).
#include <algorithm>

#include "cpu_backend.hpp"

namespace nst::cpu {

void CpuBackend::fill(float* dst, std::size_t count, float value) {
    std::fill(dst, dst + count, value);
}

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

void CpuBackend::scale_scalar(const float* alpha, float* x, std::size_t count) {
    scale(*alpha, x, count);
}

void CpuBackend::scalar_ratio(const float* num, const float* den, const float* gate, float min_gate, float fallback,
                              float* out) {
    if (*gate > min_gate)
        *out = *num / *den;
    else if (fallback >= 0.0f)
        *out = fallback;
}

void CpuBackend::scalar_subtract(const float* a, const float* b, float* out) {
    *out = *a - *b;
}

}  // namespace nst::cpu
