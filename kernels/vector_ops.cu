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

}  // namespace

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
