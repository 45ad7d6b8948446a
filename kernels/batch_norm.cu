// The CUDA backend's batch normalisation: libnst's kernels (batch_norm.cuh).
#include "batch_norm.cuh"
#include "cuda/cuda_backend.hpp"
#include "core/shape_checks.hpp"

namespace nst::cuda {

namespace {

kernels::ChannelView view(const BatchNormShape& s) {
    check_batch_norm_shape(s);
    return {s.channels, s.plane(), s.per_channel()};
}

}  // namespace

void CudaBackend::batch_norm_forward_training(const BatchNormShape& s, const BatchNormParams& p, const float* x,
                                              const float* gamma, const float* beta, float* y, float* saved_mean,
                                              float* saved_inv_std, float* moving_mean, float* moving_var) {
    kernels::batch_norm_training(view(s), p.epsilon, p.momentum, p.relu, x, gamma, beta, y, saved_mean, saved_inv_std,
                                 moving_mean, moving_var, stream_.get());
}

void CudaBackend::batch_norm_forward_inference(const BatchNormShape& s, const BatchNormParams& p, const float* x,
                                               const float* gamma, const float* beta, const float* moving_mean,
                                               const float* moving_var, float* y) {
    kernels::batch_norm_inference(view(s), p.epsilon, p.relu, x, gamma, beta, moving_mean, moving_var, y, stream_.get());
}

void CudaBackend::batch_norm_backward(const BatchNormShape& s, const BatchNormParams& p, const float* x,
                                      const float* y, const float* dy, const float* gamma, const float* saved_mean,
                                      const float* saved_inv_std, float* dx, float* dgamma, float* dbeta,
                                      bool accumulate) {
    kernels::batch_norm_backward(view(s), p.relu, accumulate, x, y, dy, gamma, saved_mean, saved_inv_std, dx, dgamma,
                                 dbeta, stream_.get());
}

}  // namespace nst::cuda
