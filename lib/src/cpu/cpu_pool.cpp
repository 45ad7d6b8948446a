// CPU 2x2/stride-2 pooling with TensorFlow 'SAME' padding, and ReLU backward.
#include <algorithm>

#include "cpu_backend.hpp"

namespace nst::cpu {

void CpuBackend::relu_backward(const float* y, const float* dy, float* dx, std::size_t count) {
    const auto n = static_cast<std::int64_t>(count);
#pragma omp parallel for num_threads(threads()) schedule(static)
    for (std::int64_t i = 0; i < n; ++i) dx[i] = y[i] > 0.0f ? dy[i] : 0.0f;
}

void CpuBackend::pool_forward(const PoolShape& s, const float* x, float* y) {
    const int H = s.height, W = s.width, OH = s.out_height(), OW = s.out_width();
    const std::int64_t planes = std::int64_t(s.batch) * s.channels;
#pragma omp parallel for num_threads(threads()) schedule(static)
    for (std::int64_t p = 0; p < planes; ++p) {
        const float* xp = x + p * H * W;
        float* yp = y + p * OH * OW;
        for (int i = 0; i < OH; ++i)
            for (int j = 0; j < OW; ++j) {
                const int h1 = std::min(2 * i + 2, H), w1 = std::min(2 * j + 2, W);
                float acc = s.mode == PoolMode::Max ? xp[std::int64_t(2 * i) * W + 2 * j] : 0.0f;
                for (int h = 2 * i; h < h1; ++h)
                    for (int w = 2 * j; w < w1; ++w) {
                        const float v = xp[std::int64_t(h) * W + w];
                        acc = s.mode == PoolMode::Max ? std::max(acc, v) : acc + v;
                    }
                if (s.mode == PoolMode::Average) acc /= static_cast<float>((h1 - 2 * i) * (w1 - 2 * j));
                yp[std::int64_t(i) * OW + j] = acc;
            }
    }
}

void CpuBackend::pool_backward(const PoolShape& s, const float* x, const float* y, const float* dy, float* dx) {
    const int H = s.height, W = s.width, OH = s.out_height(), OW = s.out_width();
    const std::int64_t planes = std::int64_t(s.batch) * s.channels;
#pragma omp parallel for num_threads(threads()) schedule(static)
    for (std::int64_t p = 0; p < planes; ++p) {
        const float* xp = x + p * H * W;
        const float* yp = y + p * OH * OW;
        const float* dyp = dy + p * OH * OW;
        float* dxp = dx + p * H * W;
        std::fill(dxp, dxp + std::int64_t(H) * W, 0.0f);
        for (int i = 0; i < OH; ++i)
            for (int j = 0; j < OW; ++j) {
                const int h1 = std::min(2 * i + 2, H), w1 = std::min(2 * j + 2, W);
                const float g = dyp[std::int64_t(i) * OW + j];
                if (s.mode == PoolMode::Average) {
                    const float share = g / static_cast<float>((h1 - 2 * i) * (w1 - 2 * j));
                    for (int h = 2 * i; h < h1; ++h)
                        for (int w = 2 * j; w < w1; ++w) dxp[std::int64_t(h) * W + w] = share;
                } else {
                    // The first element (row-major) equal to the window's maximum takes the gradient.
                    const float m = yp[std::int64_t(i) * OW + j];
                    bool done = false;
                    for (int h = 2 * i; h < h1 && !done; ++h)
                        for (int w = 2 * j; w < w1 && !done; ++w)
                            if (xp[std::int64_t(h) * W + w] == m) {
                                dxp[std::int64_t(h) * W + w] = g;
                                done = true;
                            }
                }
            }
    }
}

}  // namespace nst::cpu
