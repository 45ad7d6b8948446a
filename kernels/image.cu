#include "counter_rng.hpp"
#include "cuda_check.hpp"
#include "image.hpp"
#include "launch.hpp"

namespace nst::kernels {

namespace {

struct Mean {
    float c[3];
};

// One thread per pixel: reads 3 interleaved bytes, writes 3 planes.
__global__ void image_to_tensor_kernel(const std::uint8_t* rgb, std::size_t plane, Mean mean, float* x) {
    for (std::size_t i = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x; i < plane;
         i += std::size_t(gridDim.x) * blockDim.x)
        for (int c = 0; c < 3; ++c) x[c * plane + i] = static_cast<float>(rgb[i * 3 + c]) - mean.c[c];
}

__global__ void tensor_to_image_kernel(const float* x, std::size_t plane, Mean mean, std::uint8_t* rgb) {
    for (std::size_t i = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x; i < plane;
         i += std::size_t(gridDim.x) * blockDim.x)
        for (int c = 0; c < 3; ++c) {
            const float v = fminf(fmaxf(__fadd_rn(x[c * plane + i], mean.c[c]), 0.0f), 255.0f);
            rgb[i * 3 + c] = static_cast<std::uint8_t>(floorf(__fadd_rn(v, 0.5f)));
        }
}

// The _rn intrinsics keep nvcc from fusing multiply-adds, so every rounding matches the CPU's.
__global__ void noise_kernel(const float* content, std::size_t n, std::uint64_t seed, double ratio, float* out) {
    for (std::size_t i = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x; i < n;
         i += std::size_t(gridDim.x) * blockDim.x) {
        const double noise = __dadd_rn(-20.0, __dmul_rn(40.0, rng::uniform24(rng::hash(seed, 0, i))));
        out[i] = static_cast<float>(
            __dadd_rn(__dmul_rn(ratio, noise), __dmul_rn(__dadd_rn(1.0, -ratio), static_cast<double>(content[i]))));
    }
}

}  // namespace

void image_to_tensor(const std::uint8_t* rgb, int height, int width, float mean_r, float mean_g, float mean_b, float* x,
                     cudaStream_t stream) {
    const std::size_t plane = static_cast<std::size_t>(height) * width;
    if (plane == 0) return;
    image_to_tensor_kernel<<<elementwise_blocks(plane), kElementwiseThreads, 0, stream>>>(
        rgb, plane, Mean{{mean_r, mean_g, mean_b}}, x);
    CHECK_LAUNCH();
}

void tensor_to_image(const float* x, int height, int width, float mean_r, float mean_g, float mean_b, std::uint8_t* rgb,
                     cudaStream_t stream) {
    const std::size_t plane = static_cast<std::size_t>(height) * width;
    if (plane == 0) return;
    tensor_to_image_kernel<<<elementwise_blocks(plane), kElementwiseThreads, 0, stream>>>(
        x, plane, Mean{{mean_r, mean_g, mean_b}}, rgb);
    CHECK_LAUNCH();
}

void noise_init(const float* content, std::size_t n, std::uint64_t seed, float ratio, float* out, cudaStream_t stream) {
    if (n == 0) return;
    noise_kernel<<<elementwise_blocks(n), kElementwiseThreads, 0, stream>>>(content, n, seed, ratio, out);
    CHECK_LAUNCH();
}

}  // namespace nst::kernels
