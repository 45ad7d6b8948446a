// CPU temporal loss (video): weight Σ c (x − w)² / (C P) in double, and shared/temporal_loss.hpp's gradient.
#include "cpu_backend.hpp"
#include "shared/temporal_loss.hpp"

namespace nst::cpu {

void CpuBackend::temporal_loss(int channels, std::int64_t pixels, const float* x, const float* w, const float* c,
                               float weight, float* loss, float* dx) {
    const std::int64_t n = std::int64_t(channels) * pixels;
    const double sq = ordered_sum(static_cast<std::size_t>(n), threads(), [=](std::size_t i) {
        return shared::temporal_term(x, w, c, pixels, static_cast<std::int64_t>(i));
    });
    const double cp = static_cast<double>(channels) * static_cast<double>(pixels);
    *loss = static_cast<float>(weight * sq / cp);
    const auto g = static_cast<float>(2.0 * weight / cp);
#pragma omp parallel for num_threads(threads()) schedule(static)
    for (std::int64_t i = 0; i < n; ++i) dx[i] += shared::temporal_gradient(x[i], w[i], c[i % pixels], g);
}

}  // namespace nst::cpu
