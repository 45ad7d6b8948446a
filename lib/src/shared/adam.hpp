// Adam's update, written once for both backends: the per-step constants (host, double) and the update of
// one element (host and device). Both flavours of nst::AdamFlavor are one formula with different constants.
#pragma once

#include <cmath>
#include <string>

#include "host_device.hpp"
#include "nst/op_params.hpp"
#include "nst/error.hpp"

namespace nst::shared {

// What one step needs besides the element's own state.
struct AdamStep {
    float lr_t;         // the step size with the bias corrections folded in
    float inv_sqrt_c2;  // 1 for TensorFlow 1; 1/sqrt(1 − b2^t) for PyTorch, which corrects v before eps
    float beta1;
    float beta2;
    float eps;
};

// Step t (1-based) of `p`, computed in double. TF1 folds both corrections into the step size; PyTorch
// corrects m and v before adding epsilon.
inline AdamStep adam_step_constants(const AdamParams& p, int step) {
    if (step < 1) throw Error("adam_step: step " + std::to_string(step) + " (steps count from 1)");
    const double c1 = 1.0 - std::pow(static_cast<double>(p.beta1), step);
    const double c2 = 1.0 - std::pow(static_cast<double>(p.beta2), step);
    if (p.flavor == AdamFlavor::TensorFlow1)
        return {static_cast<float>(p.lr * std::sqrt(c2) / c1), 1.0f, p.beta1, p.beta2, p.eps};
    return {static_cast<float>(p.lr / c1), static_cast<float>(1.0 / std::sqrt(c2)), p.beta1, p.beta2, p.eps};
}

// m = b1 m + (1−b1) g;  v = b2 v + (1−b2) g²;  x −= lr_t m / (sqrt(v) · inv_sqrt_c2 + eps)
NST_HOST_DEVICE inline void adam_update(float& x, float g, float& m, float& v, const AdamStep& s) {
    const float mi = s.beta1 * m + (1.0f - s.beta1) * g;
    const float vi = s.beta2 * v + (1.0f - s.beta2) * g * g;
    m = mi;
    v = vi;
    x -= s.lr_t * mi / (sqrtf(vi) * s.inv_sqrt_c2 + s.eps);
}

}  // namespace nst::shared
