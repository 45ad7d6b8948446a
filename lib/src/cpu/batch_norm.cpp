// CPU batch normalisation: one thread per channel, each channel's sums in double in a fixed order (batch,
// then pixels), the element formulas of shared/batch_norm.hpp (the ones the CUDA kernels run).
#include "cpu_backend.hpp"
#include "core/shape_checks.hpp"
#include "shared/batch_norm.hpp"

namespace nst::cpu {

namespace {

// Calls f(value index) for every value of channel c, batch first, then pixels.
template <class F>
void for_each_in_channel(const BatchNormShape& s, int c, F f) {
    const std::size_t plane = s.plane();
    for (int n = 0; n < s.batch; ++n) {
        const std::size_t base = (std::size_t(n) * s.channels + c) * plane;
        for (std::size_t j = 0; j < plane; ++j) f(base + j);
    }
}

}  // namespace

void CpuBackend::batch_norm_forward_training(const BatchNormShape& s, const BatchNormParams& p, const float* x,
                                             const float* gamma, const float* beta, float* y, float* saved_mean,
                                             float* saved_inv_std, float* moving_mean, float* moving_var) {
    check_batch_norm_shape(s);
    const std::size_t count = s.per_channel();
#pragma omp parallel for num_threads(threads()) schedule(static)
    for (int c = 0; c < s.channels; ++c) {
        double sum = 0.0, squares = 0.0;
        for_each_in_channel(s, c, [&](std::size_t i) { sum += x[i]; });
        const double mean = sum / static_cast<double>(count);
        for_each_in_channel(s, c, [&](std::size_t i) { squares += (x[i] - mean) * (x[i] - mean); });
        const double variance = squares / static_cast<double>(count);
        const float m = static_cast<float>(mean), inv_std = shared::bn_inv_std(variance, p.epsilon);
        for_each_in_channel(s, c, [&](std::size_t i) { y[i] = shared::bn_output(x[i], m, inv_std, gamma[c], beta[c], p.relu); });
        saved_mean[c] = m;
        saved_inv_std[c] = inv_std;
        moving_mean[c] = shared::bn_moving(moving_mean[c], mean, p.momentum);
        moving_var[c] = shared::bn_moving(moving_var[c], shared::bn_unbiased(variance, count), p.momentum);
    }
}

void CpuBackend::batch_norm_forward_inference(const BatchNormShape& s, const BatchNormParams& p, const float* x,
                                              const float* gamma, const float* beta, const float* moving_mean,
                                              const float* moving_var, float* y) {
    check_batch_norm_shape(s);
#pragma omp parallel for num_threads(threads()) schedule(static)
    for (int c = 0; c < s.channels; ++c) {
        const float inv_std = shared::bn_inv_std(moving_var[c], p.epsilon);
        for_each_in_channel(s, c, [&](std::size_t i) {
            y[i] = shared::bn_output(x[i], moving_mean[c], inv_std, gamma[c], beta[c], p.relu);
        });
    }
}

void CpuBackend::batch_norm_backward(const BatchNormShape& s, const BatchNormParams& p, const float* x,
                                     const float* y, const float* dy, const float* gamma, const float* saved_mean,
                                     const float* saved_inv_std, float* dx, float* dgamma, float* dbeta,
                                     bool accumulate) {
    check_batch_norm_shape(s);
    const double count = static_cast<double>(s.per_channel());
#pragma omp parallel for num_threads(threads()) schedule(static)
    for (int c = 0; c < s.channels; ++c) {
        const float mean = saved_mean[c], inv_std = saved_inv_std[c];
        double sum_dy = 0.0, sum_dy_x_hat = 0.0;
        for_each_in_channel(s, c, [&](std::size_t i) {
            const float g = shared::bn_masked(dy[i], y[i], p.relu);
            sum_dy += g;
            sum_dy_x_hat += static_cast<double>(g) * ((x[i] - mean) * inv_std);
        });
        const float mean_dy = static_cast<float>(sum_dy / count), mean_dy_x_hat = static_cast<float>(sum_dy_x_hat / count);
        for_each_in_channel(s, c, [&](std::size_t i) {
            const float g = shared::bn_masked(dy[i], y[i], p.relu);
            dx[i] = shared::bn_input_gradient(g, (x[i] - mean) * inv_std, gamma[c], inv_std, mean_dy, mean_dy_x_hat);
        });
        dgamma[c] = static_cast<float>(accumulate ? dgamma[c] + sum_dy_x_hat : sum_dy_x_hat);
        dbeta[c] = static_cast<float>(accumulate ? dbeta[c] + sum_dy : sum_dy);
    }
}

}  // namespace nst::cpu
