// The whole transfer loss in double with the textbook ops: VGG-19 forward, content and style targets,
// content, style and total-variation losses. The reference for gradient checks of the engine.
#pragma once

#include <map>
#include <string>

#include "nst/image.hpp"
#include "nst/transfer.hpp"
#include "reference_ops.hpp"

namespace nst::test {

// x: 3 x H x W, mean-subtracted (H, W those of `content`). The style image is resized to the content's
// size as the engine does.
double reference_total_loss(const VggWeights& weights, const TransferOptions& options, const Image& content,
                            const Image& style, const Vec& x);

struct ReferenceFeature {
    Vec values;
    int channels = 0, height = 0, width = 0;
};
// Every stage's output (named reluB_K or poolB) through `last` (a canonical name), in double.
std::map<std::string, ReferenceFeature> reference_features(const VggWeights& weights, PoolMode pool, const Vec& image,
                                                           int height, int width, const std::string& last);

// An image as the engine feeds it: 3 x H x W planes minus the mean pixel.
Vec image_planes(const Image& image, const std::array<float, 3>& mean);

}  // namespace nst::test
