#include "cuda_check.hpp"
#include "launch.hpp"
#include "vector_ops.hpp"

namespace nst::kernels {

namespace {

// Grid-stride elementwise kernels: memory-bound, one load and store per element.
__global__ void fill_kernel(float* x, std::size_t n, float value) {
    for (std::size_t i = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x; i < n;
         i += std::size_t(gridDim.x) * blockDim.x)
        x[i] = value;
}

__global__ void axpy_kernel(float alpha, const float* x, float* y, std::size_t n) {
    for (std::size_t i = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x; i < n;
         i += std::size_t(gridDim.x) * blockDim.x)
        y[i] += alpha * x[i];
}

__global__ void scale_kernel(float alpha, float* x, std::size_t n) {
    for (std::size_t i = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x; i < n;
         i += std::size_t(gridDim.x) * blockDim.x)
        x[i] *= alpha;
}

// The coefficient is loaded once per thread from device memory: no host round trip for it.
__global__ void axpy_scalar_kernel(float sign, const float* alpha, const float* x, float* y, std::size_t n) {
    const float a = sign * *alpha;
    for (std::size_t i = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x; i < n;
         i += std::size_t(gridDim.x) * blockDim.x)
        y[i] += a * x[i];
}

__global__ void scale_scalar_kernel(const float* alpha, float* x, std::size_t n) {
    const float a = *alpha;
    for (std::size_t i = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x; i < n;
         i += std::size_t(gridDim.x) * blockDim.x)
        x[i] *= a;
}

__global__ void scalar_ratio_kernel(const float* num, const float* den, float min_den, float fallback, float* out) {
    if (*den > min_den)
        *out = *num / *den;
    else if (fallback >= 0.0f)
        *out = fallback;
}

__global__ void scalar_subtract_kernel(const float* a, const float* b, float* out) {
    *out = *a - *b;
}

}  // namespace

void axpy_scalar(float sign, const float* alpha, const float* x, float* y, std::size_t n, cudaStream_t stream) {
    if (n == 0) return;
    axpy_scalar_kernel<<<elementwise_blocks(n), kElementwiseThreads, 0, stream>>>(sign, alpha, x, y, n);
    CHECK_LAUNCH();
}

void scale_scalar(const float* alpha, float* x, std::size_t n, cudaStream_t stream) {
    if (n == 0) return;
    scale_scalar_kernel<<<elementwise_blocks(n), kElementwiseThreads, 0, stream>>>(alpha, x, n);
    CHECK_LAUNCH();
}

void scalar_ratio(const float* num, const float* den, float min_den, float fallback, float* out, cudaStream_t stream) {
    scalar_ratio_kernel<<<1, 1, 0, stream>>>(num, den, min_den, fallback, out);
    CHECK_LAUNCH();
}

void scalar_subtract(const float* a, const float* b, float* out, cudaStream_t stream) {
    scalar_subtract_kernel<<<1, 1, 0, stream>>>(a, b, out);
    CHECK_LAUNCH();
}

void fill(float* x, std::size_t n, float value, cudaStream_t stream) {
    if (n == 0) return;
    fill_kernel<<<elementwise_blocks(n), kElementwiseThreads, 0, stream>>>(x, n, value);
    CHECK_LAUNCH();
}

void axpy(float alpha, const float* x, float* y, std::size_t n, cudaStream_t stream) {
    if (n == 0) return;
    axpy_kernel<<<elementwise_blocks(n), kElementwiseThreads, 0, stream>>>(alpha, x, y, n);
    CHECK_LAUNCH();
}

void scale(float alpha, float* x, std::size_t n, cudaStream_t stream) {
    if (n == 0) return;
    scale_kernel<<<elementwise_blocks(n), kElementwiseThreads, 0, stream>>>(alpha, x, n);
    CHECK_LAUNCH();
}

}  // namespace nst::kernels
