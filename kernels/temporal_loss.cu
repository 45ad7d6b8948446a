// The CUDA backend's temporal loss (temporal_loss.cuh): value into backend memory, gradient added to dx.
#include "cuda/cuda_backend.hpp"
#include "temporal_loss.cuh"

namespace nst::cuda {

void CudaBackend::temporal_loss(int channels, std::int64_t pixels, const float* x, const float* w, const float* c,
                                float weight, float* loss, float* dx) {
    const std::size_t n = std::size_t(channels) * static_cast<std::size_t>(pixels);
    const double cp = static_cast<double>(channels) * static_cast<double>(pixels);
    kernels::temporal_sum(x, w, c, pixels, n, weight / cp, partials_.data(), loss, stream_.get());
    kernels::temporal_gradient(x, w, c, pixels, n, static_cast<float>(2.0 * weight / cp), dx, stream_.get());
}

}  // namespace nst::cuda
