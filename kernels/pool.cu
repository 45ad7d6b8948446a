#include "cuda_check.hpp"
#include "launch.hpp"
#include "pool.hpp"

namespace nst::kernels {

namespace {

// One thread per output: reads its (up to) 2x2 window.
__global__ void pool_forward_kernel(const float* x, std::size_t planes, int H, int W, bool is_max, float* y) {
    const int OH = (H + 1) / 2, OW = (W + 1) / 2;
    const std::size_t n = planes * OH * OW;
    for (std::size_t k = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x; k < n;
         k += std::size_t(gridDim.x) * blockDim.x) {
        const std::size_t p = k / (static_cast<std::size_t>(OH) * OW);
        const int i = static_cast<int>((k / OW) % OH), j = static_cast<int>(k % OW);
        const float* xp = x + p * H * W;
        const int h1 = min(2 * i + 2, H), w1 = min(2 * j + 2, W);
        float acc = is_max ? xp[static_cast<std::size_t>(2 * i) * W + 2 * j] : 0.0f;
        for (int h = 2 * i; h < h1; ++h)
            for (int w = 2 * j; w < w1; ++w) {
                const float v = xp[static_cast<std::size_t>(h) * W + w];
                acc = is_max ? fmaxf(acc, v) : acc + v;
            }
        if (!is_max) acc /= static_cast<float>((h1 - 2 * i) * (w1 - 2 * j));
        y[k] = acc;
    }
}

// One thread per input (gather): each input belongs to exactly one window, so no atomics are needed.
__global__ void pool_backward_kernel(const float* x, const float* y, const float* dy, std::size_t planes, int H, int W,
                                     bool is_max, float* dx) {
    const int OH = (H + 1) / 2, OW = (W + 1) / 2;
    const std::size_t n = planes * H * W;
    for (std::size_t k = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x; k < n;
         k += std::size_t(gridDim.x) * blockDim.x) {
        const std::size_t p = k / (static_cast<std::size_t>(H) * W);
        const int h = static_cast<int>((k / W) % H), w = static_cast<int>(k % W);
        const int i = h / 2, j = w / 2;
        const std::size_t o = p * OH * OW + static_cast<std::size_t>(i) * OW + j;
        const int h1 = min(2 * i + 2, H), w1 = min(2 * j + 2, W);
        if (!is_max) {
            dx[k] = dy[o] / static_cast<float>((h1 - 2 * i) * (w1 - 2 * j));
            continue;
        }
        // Is (h, w) the first element of its window equal to the maximum?
        const float* xp = x + p * H * W;
        const float m = y[o];
        int first = -1;
        for (int hh = 2 * i; hh < h1 && first < 0; ++hh)
            for (int ww = 2 * j; ww < w1 && first < 0; ++ww)
                if (xp[static_cast<std::size_t>(hh) * W + ww] == m) first = hh * W + ww;
        dx[k] = first == h * W + w ? dy[o] : 0.0f;
    }
}

}  // namespace

void same_pool_forward(const float* x, std::size_t planes, int height, int width, bool is_max, float* y,
                       cudaStream_t stream) {
    const std::size_t n = planes * ((height + 1) / 2) * ((width + 1) / 2);
    if (n == 0) return;
    pool_forward_kernel<<<elementwise_blocks(n), kElementwiseThreads, 0, stream>>>(x, planes, height, width, is_max, y);
    CHECK_LAUNCH();
}

void same_pool_backward(const float* x, const float* y, const float* dy, std::size_t planes, int height, int width,
                        bool is_max, float* dx, cudaStream_t stream) {
    const std::size_t n = planes * height * width;
    if (n == 0) return;
    pool_backward_kernel<<<elementwise_blocks(n), kElementwiseThreads, 0, stream>>>(x, y, dy, planes, height, width,
                                                                                    is_max, dx);
    CHECK_LAUNCH();
}

}  // namespace nst::kernels
