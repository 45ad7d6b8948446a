// The CUDA backend's total-variation loss (tv_loss.cuh): value into backend memory, gradient added to dx.
#include "cuda/cuda_backend.hpp"
#include "tv_loss.cuh"

namespace nst::cuda {

void CudaBackend::tv_loss(int batch, int channels, int height, int width, const float* x, float weight, float* loss,
                          float* dx) {
    const std::size_t planes = std::size_t(batch) * channels;
    kernels::tv_sum(x, planes, height, width, weight, partials_.data(), loss, stream_.get());
    kernels::tv_gradient(x, planes, height, width, weight, dx, stream_.get());
}

}  // namespace nst::cuda
