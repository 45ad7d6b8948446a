// The CUDA backend's content loss: weight Σ(F−P)²/(4CM) by reduction, its gradient by content_loss.cuh.
#include "content_loss.cuh"
#include "cuda/cuda_backend.hpp"
#include "reduce.cuh"

namespace nst::cuda {

void CudaBackend::content_loss(const float* F, const float* P, int C, std::int64_t M, float weight, float* loss,
                               float* dF, bool accumulate) {
    const std::size_t n = std::size_t(C) * static_cast<std::size_t>(M);
    const double nm = static_cast<double>(C) * static_cast<double>(M);
    kernels::squared_difference_sum(F, P, n, weight / (4.0 * nm), partials_.data(), loss, stream_.get());
    kernels::content_gradient(F, P, n, static_cast<float>(weight / (2.0 * nm)), dF, accumulate, stream_.get());
}

}  // namespace nst::cuda
