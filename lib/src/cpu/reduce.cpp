// CPU reductions: Σ(a−b)², Σa and Σab in double, in a fixed order (ordered_sum), rounded once to float.
#include "cpu_backend.hpp"

namespace nst::cpu {

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

}  // namespace nst::cpu
