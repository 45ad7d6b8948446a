// CPU 2x2/stride-2 pooling with TensorFlow 'SAME' padding: shared/pool.hpp's per-output and per-input
// formulas, the ones the CUDA kernels run at odd sizes. One thread per plane.
#include "cpu_backend.hpp"
#include "shared/pool.hpp"

namespace nst::cpu {

void CpuBackend::pool_forward(const PoolShape& s, const float* x, float* y) {
    const int H = s.height, W = s.width, OH = s.out_height(), OW = s.out_width();
    const std::int64_t planes = std::int64_t(s.batch) * s.channels;
    const bool is_max = s.mode == PoolMode::Max;
#pragma omp parallel for num_threads(threads()) schedule(static)
    for (std::int64_t p = 0; p < planes; ++p) {
        const float* xp = x + p * H * W;
        float* yp = y + p * OH * OW;
        for (int i = 0; i < OH; ++i)
            for (int j = 0; j < OW; ++j) yp[std::int64_t(i) * OW + j] = shared::same_pool_output(xp, H, W, i, j, is_max);
    }
}

void CpuBackend::pool_backward(const PoolShape& s, const float* x, const float* y, const float* dy, float* dx) {
    const int H = s.height, W = s.width, OH = s.out_height(), OW = s.out_width();
    const std::int64_t planes = std::int64_t(s.batch) * s.channels;
    const bool is_max = s.mode == PoolMode::Max;
#pragma omp parallel for num_threads(threads()) schedule(static)
    for (std::int64_t p = 0; p < planes; ++p) {
        const float* xp = x + p * H * W;
        const float* yp = y + p * OH * OW;
        const float* dyp = dy + p * OH * OW;
        float* dxp = dx + p * H * W;
        for (int h = 0; h < H; ++h)
            for (int w = 0; w < W; ++w) {
                const std::int64_t o = std::int64_t(h / 2) * OW + w / 2;
                dxp[std::int64_t(h) * W + w] = shared::same_pool_input_gradient(xp, H, W, h, w, yp[o], dyp[o], is_max);
            }
    }
}

}  // namespace nst::cpu
