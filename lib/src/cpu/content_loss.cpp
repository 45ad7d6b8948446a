// CPU content loss: weight Σ(F−P)²/(4CM) in double, and shared/content_loss.hpp's gradient.
#include "cpu_backend.hpp"
#include "shared/content_loss.hpp"

namespace nst::cpu {

void CpuBackend::content_loss(const float* F, const float* P, int C, std::int64_t M, float weight, float* loss,
                              float* dF, bool accumulate) {
    const std::int64_t n = std::int64_t(C) * M;
    const double sq = ordered_sum(static_cast<std::size_t>(n), threads(), [=](std::size_t i) {
        const double d = static_cast<double>(F[i]) - P[i];
        return d * d;
    });
    const double nm = static_cast<double>(C) * static_cast<double>(M);
    *loss = static_cast<float>(weight * sq / (4.0 * nm));
    const auto g = static_cast<float>(weight / (2.0 * nm));
#pragma omp parallel for num_threads(threads()) schedule(static)
    for (std::int64_t i = 0; i < n; ++i) {
        const float v = shared::content_gradient(F[i], P[i], g);
        dF[i] = accumulate ? dF[i] + v : v;
    }
}

}  // namespace nst::cpu
