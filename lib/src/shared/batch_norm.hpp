// Batch normalisation's per-element and per-channel formulas, written once for both backends (the CPU's
// loops and the CUDA kernels call these; only the order of the per-channel sums differs).
#pragma once

#include <cmath>
#include <cstddef>

#include "host_device.hpp"

namespace nst::shared {

// 1/√(σ² + ε), from the variance in double.
NST_HOST_DEVICE inline float bn_inv_std(double variance, float epsilon) {
    return static_cast<float>(1.0 / sqrt(variance + static_cast<double>(epsilon)));
}

// γ (x − μ)·inv_std + β, then ReLU when asked.
NST_HOST_DEVICE inline float bn_output(float x, float mean, float inv_std, float gamma, float beta, bool relu) {
    const float y = gamma * ((x - mean) * inv_std) + beta;
    return relu && y < 0.0f ? 0.0f : y;  // a NaN stays visible
}

// The moving statistic's update: momentum·moving + (1 − momentum)·value.
NST_HOST_DEVICE inline float bn_moving(float moving, double value, float momentum) {
    return static_cast<float>(static_cast<double>(momentum) * moving + (1.0 - static_cast<double>(momentum)) * value);
}

// The variance the moving variance follows: unbiased (n/(n − 1)) where a channel has more than one value.
NST_HOST_DEVICE inline double bn_unbiased(double biased, std::size_t n) {
    return n > 1 ? biased * static_cast<double>(n) / static_cast<double>(n - 1) : biased;
}

// The gradient reaching the normalisation: dy, or 0 where a fused ReLU's output is not positive.
NST_HOST_DEVICE inline float bn_masked(float dy, float y, bool relu) {
    return relu && !(y > 0.0f) ? 0.0f : dy;
}

// dx = γ·inv_std·(dy − mean(dy) − x̂·mean(dy·x̂)), from the channel's two means.
NST_HOST_DEVICE inline float bn_input_gradient(float dy, float x_hat, float gamma, float inv_std, float mean_dy,
                                               float mean_dy_x_hat) {
    return gamma * inv_std * (dy - mean_dy - x_hat * mean_dy_x_hat);
}

}  // namespace nst::shared
