// ResNet-50's training-mode loss in double with the textbook ops (reference_training.hpp): the reference
// the whole-network gradient check differentiates by finite differences. Parameters in libnst's layout
// (resnet_parameters.hpp: the trainable arena, kernels KCRS).
#pragma once

#include <vector>

#include "nst/resnet.hpp"
#include "reference_ops.hpp"

namespace nst::test {

// The mean cross-entropy of the network on `images` (n x 3 x S x S, n = spec.batch) against `labels`, batch
// normalisation with the batch's statistics (training mode), in double.
double reference_resnet_loss(const ResNetSpec& spec, const Vec& params, const Vec& images,
                             const std::vector<float>& labels);

}  // namespace nst::test
