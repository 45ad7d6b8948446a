// The CUDA backend's global average pooling (global_avg_pool.cuh).
#include "cuda/cuda_backend.hpp"
#include "global_avg_pool.cuh"
#include "core/shape_checks.hpp"

namespace nst::cuda {

void CudaBackend::global_avg_pool_forward(int batch, int channels, std::int64_t pixels, const float* x, float* y) {
    check_plane_shape("global_avg_pool", batch, channels, pixels);
    kernels::global_avg_pool_forward(std::size_t(batch) * channels, static_cast<std::size_t>(pixels), x, y,
                                     stream_.get());
}

void CudaBackend::global_avg_pool_backward(int batch, int channels, std::int64_t pixels, const float* dy, float* dx) {
    check_plane_shape("global_avg_pool", batch, channels, pixels);
    kernels::global_avg_pool_backward(std::size_t(batch) * channels, static_cast<std::size_t>(pixels), dy, dx,
                                      stream_.get());
}

}  // namespace nst::cuda
