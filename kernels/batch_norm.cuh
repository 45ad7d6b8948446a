// Batch normalisation on the GPU: libnst's own kernels (not cuDNN's batch-norm API, deprecated in cuDNN 9;
// docs/cuda-notes.md). Training forward and backward take one block per channel: the block sums the
// channel's values in double (each thread a fixed strided set, then reduce.cuh's fixed tree:
// deterministic), then writes the channel's outputs; thread 0 writes the channel's statistics. One launch
// per layer and direction. The element formulas are shared/batch_norm.hpp's, the CPU backend's.
#pragma once

#include <cstddef>

#include "launch.cuh"
#include "reduce.cuh"
#include "shared/batch_norm.hpp"

namespace nst::kernels {

constexpr int kBatchNormThreads = 256;

// A channel's values: per_channel = batch x plane of them, the k-th at tensor index
// (k / plane · channels + c) · plane + k % plane.
struct ChannelView {
    int channels;
    std::size_t plane;
    std::size_t per_channel;
    __device__ std::size_t at(std::size_t c, std::size_t k) const {
        return (k / plane * static_cast<std::size_t>(channels) + c) * plane + k % plane;
    }
};

NST_KERNEL void batch_norm_training_kernel(ChannelView v, float epsilon, float momentum, int relu, const float* x,
                                           const float* gamma, const float* beta, float* y, float* saved_mean,
                                           float* saved_inv_std, float* moving_mean, float* moving_var) {
    __shared__ double cache[kBatchNormThreads];
    const std::size_t c = blockIdx.x;
    double sum = 0.0, squares = 0.0;
    for (std::size_t k = threadIdx.x; k < v.per_channel; k += kBatchNormThreads) sum += x[v.at(c, k)];
    const double mean = block_sum<kBatchNormThreads>(sum, cache) / static_cast<double>(v.per_channel);
    for (std::size_t k = threadIdx.x; k < v.per_channel; k += kBatchNormThreads) {
        const double d = x[v.at(c, k)] - mean;
        squares += d * d;
    }
    const double variance = block_sum<kBatchNormThreads>(squares, cache) / static_cast<double>(v.per_channel);
    const float m = static_cast<float>(mean), inv_std = shared::bn_inv_std(variance, epsilon);
    for (std::size_t k = threadIdx.x; k < v.per_channel; k += kBatchNormThreads) {
        const std::size_t i = v.at(c, k);
        y[i] = shared::bn_output(x[i], m, inv_std, gamma[c], beta[c], relu != 0);
    }
    if (threadIdx.x == 0) {
        saved_mean[c] = m;
        saved_inv_std[c] = inv_std;
        moving_mean[c] = shared::bn_moving(moving_mean[c], mean, momentum);
        moving_var[c] = shared::bn_moving(moving_var[c], shared::bn_unbiased(variance, v.per_channel), momentum);
    }
}

NST_KERNEL void batch_norm_backward_kernel(ChannelView v, int relu, int accumulate, const float* x, const float* y,
                                           const float* dy, const float* gamma, const float* saved_mean,
                                           const float* saved_inv_std, float* dx, float* dgamma, float* dbeta) {
    __shared__ double cache[kBatchNormThreads];
    const std::size_t c = blockIdx.x;
    const float mean = saved_mean[c], inv_std = saved_inv_std[c];
    double sum_dy = 0.0, sum_dy_x_hat = 0.0;
    for (std::size_t k = threadIdx.x; k < v.per_channel; k += kBatchNormThreads) {
        const std::size_t i = v.at(c, k);
        const float g = shared::bn_masked(dy[i], y[i], relu != 0);
        sum_dy += g;
        sum_dy_x_hat += static_cast<double>(g) * ((x[i] - mean) * inv_std);
    }
    sum_dy = block_sum<kBatchNormThreads>(sum_dy, cache);
    sum_dy_x_hat = block_sum<kBatchNormThreads>(sum_dy_x_hat, cache);
    const double count = static_cast<double>(v.per_channel);
    const float mean_dy = static_cast<float>(sum_dy / count), mean_dy_x_hat = static_cast<float>(sum_dy_x_hat / count);
    // Every thread has read all its dy and y before the barriers in block_sum: dx may be dy.
    for (std::size_t k = threadIdx.x; k < v.per_channel; k += kBatchNormThreads) {
        const std::size_t i = v.at(c, k);
        const float g = shared::bn_masked(dy[i], y[i], relu != 0);
        dx[i] = shared::bn_input_gradient(g, (x[i] - mean) * inv_std, gamma[c], inv_std, mean_dy, mean_dy_x_hat);
    }
    if (threadIdx.x == 0) {
        dgamma[c] = static_cast<float>(accumulate ? dgamma[c] + sum_dy_x_hat : sum_dy_x_hat);
        dbeta[c] = static_cast<float>(accumulate ? dbeta[c] + sum_dy : sum_dy);
    }
}

inline void batch_norm_training(ChannelView v, float epsilon, float momentum, bool relu, const float* x,
                                const float* gamma, const float* beta, float* y, float* saved_mean,
                                float* saved_inv_std, float* moving_mean, float* moving_var, cudaStream_t stream) {
    launch(batch_norm_training_kernel, dim3(static_cast<unsigned>(v.channels)), dim3(kBatchNormThreads), 0, stream, v,
           epsilon, momentum, relu ? 1 : 0, x, gamma, beta, y, saved_mean, saved_inv_std, moving_mean, moving_var);
}

// Elementwise: y = bn(x) with the moving statistics.
inline void batch_norm_inference(ChannelView v, float epsilon, bool relu, const float* x, const float* gamma,
                                 const float* beta, const float* moving_mean, const float* moving_var, float* y,
                                 cudaStream_t stream) {
    const std::size_t channels = static_cast<std::size_t>(v.channels), plane = v.plane;
    for_each_index(channels * v.per_channel, stream, [=] __device__(std::size_t i) {
        const std::size_t c = i / plane % channels;
        y[i] = shared::bn_output(x[i], moving_mean[c], shared::bn_inv_std(moving_var[c], epsilon), gamma[c], beta[c],
                                 relu);
    });
}

inline void batch_norm_backward(ChannelView v, bool relu, bool accumulate, const float* x, const float* y,
                                const float* dy, const float* gamma, const float* saved_mean,
                                const float* saved_inv_std, float* dx, float* dgamma, float* dbeta,
                                cudaStream_t stream) {
    launch(batch_norm_backward_kernel, dim3(static_cast<unsigned>(v.channels)), dim3(kBatchNormThreads), 0, stream, v,
           relu ? 1 : 0, accumulate ? 1 : 0, x, y, dy, gamma, saved_mean, saved_inv_std, dx, dgamma, dbeta);
}

}  // namespace nst::kernels
