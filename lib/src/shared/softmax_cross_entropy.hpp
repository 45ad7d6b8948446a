// One row of the softmax cross-entropy, written once for both backends.
#pragma once

#include <cmath>

#include "host_device.hpp"

namespace nst::shared {

// One row of the softmax cross-entropy (z: `classes` logits, label in [0, classes)), in double: returns
// −log softmax(z)[label], sets *correct to 1 when the label is the first maximum of z (else 0) and writes
// (softmax(z) − onehot(label)) · inv_batch to dz. A label outside the range gives a NaN loss.
NST_HOST_DEVICE inline double softmax_cross_entropy_row(const float* z, int classes, float label, double inv_batch,
                                                        float* dz, float* correct) {
    int best = 0;
    for (int k = 1; k < classes; ++k)
        if (z[k] > z[best]) best = k;
    const double top = z[best];
    double sum = 0.0;
    for (int k = 0; k < classes; ++k) sum += exp(static_cast<double>(z[k]) - top);
    const int target = static_cast<int>(label);
    const bool valid = label >= 0.0f && target < classes && static_cast<float>(target) == label;
    for (int k = 0; k < classes; ++k) {
        const double p = exp(static_cast<double>(z[k]) - top) / sum;
        dz[k] = static_cast<float>((p - (k == target ? 1.0 : 0.0)) * inv_batch);
    }
    *correct = valid && best == target ? 1.0f : 0.0f;
    return valid ? log(sum) + top - static_cast<double>(z[target]) : NAN;
}

}  // namespace nst::shared
