// CPU total-variation loss: shared/tv_loss.hpp's terms, the ones the CUDA kernels run, summed in double in a
// fixed order, and its gradient added to dx.
#include "cpu_backend.hpp"
#include "shared/tv_loss.hpp"

namespace nst::cpu {

void CpuBackend::tv_loss(int batch, int channels, int H, int W, const float* x, float weight, float* loss, float* dx) {
    const std::int64_t total = std::int64_t(batch) * channels * H * W;
    const double sq = ordered_sum(static_cast<std::size_t>(total), threads(), [=](std::size_t i) {
        int h = 0, w = 0;
        shared::plane_position(i, H, W, &h, &w);
        return shared::tv_term(x, i, h, w, H, W);
    });
    *loss = static_cast<float>(weight * sq);
    const float two_w = 2.0f * weight;
#pragma omp parallel for num_threads(threads()) schedule(static)
    for (std::int64_t i = 0; i < total; ++i) {
        int h = 0, w = 0;
        shared::plane_position(static_cast<std::size_t>(i), H, W, &h, &w);
        dx[i] += two_w * shared::tv_half_gradient(x, static_cast<std::size_t>(i), h, w, H, W);
    }
}

}  // namespace nst::cpu
