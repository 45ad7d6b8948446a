#include "adam.hpp"
#include "cuda_check.hpp"
#include "launch.hpp"

namespace nst::kernels {

namespace {

// All of Adam's state for one element in registers: x, g, m, v read once, x, m, v written once
// (16 bytes read, 12 written per element: memory-bound).
__global__ void adam_kernel(float* x, const float* g, float* m, float* v, std::size_t n, float lr_t, float inv_sqrt_c2,
                            float b1, float b2, float eps) {
    for (std::size_t i = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x; i < n;
         i += std::size_t(gridDim.x) * blockDim.x) {
        const float gi = g[i];
        const float mi = b1 * m[i] + (1.0f - b1) * gi;
        const float vi = b2 * v[i] + (1.0f - b2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        x[i] -= lr_t * mi / (sqrtf(vi) * inv_sqrt_c2 + eps);
    }
}

}  // namespace

void adam_step(float* x, const float* g, float* m, float* v, std::size_t n, float lr_t, float inv_sqrt_c2, float b1,
               float b2, float eps, cudaStream_t stream) {
    if (n == 0) return;
    adam_kernel<<<elementwise_blocks(n), kElementwiseThreads, 0, stream>>>(x, g, m, v, n, lr_t, inv_sqrt_c2, b1, b2,
                                                                           eps);
    CHECK_LAUNCH();
}

}  // namespace nst::kernels
