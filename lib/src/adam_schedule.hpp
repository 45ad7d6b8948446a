// Adam's per-step scalars, computed once per step in double by both backends (nst::AdamFlavor).
#pragma once

#include <cmath>
#include <string>

#include "nst/backend.hpp"
#include "nst/error.hpp"

namespace nst {

struct AdamStepScalars {
    float lr_t;         // the step size with the bias corrections folded in
    float inv_sqrt_c2;  // 1 for TensorFlow 1; 1/sqrt(1 − b2^t) for PyTorch, which corrects v before eps
};

// TF1 folds both corrections into the step size; PyTorch corrects m and v before adding epsilon.
inline AdamStepScalars adam_step_scalars(const AdamParams& p, int step) {
    if (step < 1) throw Error("adam_step: step " + std::to_string(step) + " (steps count from 1)");
    const double c1 = 1.0 - std::pow(static_cast<double>(p.beta1), step);
    const double c2 = 1.0 - std::pow(static_cast<double>(p.beta2), step);
    if (p.flavor == AdamFlavor::TensorFlow1) return {static_cast<float>(p.lr * std::sqrt(c2) / c1), 1.0f};
    return {static_cast<float>(p.lr / c1), static_cast<float>(1.0 / std::sqrt(c2))};
}

}  // namespace nst
