#include "cuda_check.hpp"
#include "launch.hpp"
#include "losses.hpp"

namespace nst::kernels {

namespace {

__global__ void content_gradient_kernel(const float* F, const float* P, std::size_t n, float g, float* dF,
                                        bool accumulate) {
    for (std::size_t i = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x; i < n;
         i += std::size_t(gridDim.x) * blockDim.x) {
        const float v = g * (F[i] - P[i]);
        dF[i] = accumulate ? dF[i] + v : v;
    }
}

// Gather form: each pixel reads its four neighbours and writes only its own gradient (no atomics).
__global__ void tv_gradient_kernel(const float* x, std::size_t n, int height, int width, float two_weight, float* dx) {
    const std::size_t plane = static_cast<std::size_t>(height) * width;
    for (std::size_t i = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x; i < n;
         i += std::size_t(gridDim.x) * blockDim.x) {
        const int h = static_cast<int>((i % plane) / width);
        const int w = static_cast<int>(i % width);
        const float xi = x[i];
        float g = 0.0f;
        if (w + 1 < width) g -= x[i + 1] - xi;
        if (w > 0) g += xi - x[i - 1];
        if (h + 1 < height) g -= x[i + width] - xi;
        if (h > 0) g += xi - x[i - width];
        dx[i] += two_weight * g;
    }
}

__global__ void mirror_kernel(float* G, int c) {
    const std::size_t n = static_cast<std::size_t>(c) * c;
    for (std::size_t k = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x; k < n;
         k += std::size_t(gridDim.x) * blockDim.x) {
        const int i = static_cast<int>(k % c), j = static_cast<int>(k / c);  // column-major (i, j)
        if (i > j) G[k] = G[j + static_cast<std::size_t>(i) * c];
    }
}

}  // namespace

void content_gradient(const float* F, const float* P, std::size_t n, float g, float* dF, bool accumulate,
                      cudaStream_t stream) {
    if (n == 0) return;
    content_gradient_kernel<<<elementwise_blocks(n), kElementwiseThreads, 0, stream>>>(F, P, n, g, dF, accumulate);
    CHECK_LAUNCH();
}

void tv_gradient(const float* x, std::size_t planes, int height, int width, float weight, float* dx,
                 cudaStream_t stream) {
    const std::size_t n = planes * height * width;
    if (n == 0) return;
    tv_gradient_kernel<<<elementwise_blocks(n), kElementwiseThreads, 0, stream>>>(x, n, height, width, 2.0f * weight,
                                                                                  dx);
    CHECK_LAUNCH();
}

void mirror_upper_to_lower(float* G, int channels, cudaStream_t stream) {
    const std::size_t n = static_cast<std::size_t>(channels) * channels;
    mirror_kernel<<<elementwise_blocks(n), kElementwiseThreads, 0, stream>>>(G, channels);
    CHECK_LAUNCH();
}

}  // namespace nst::kernels
