// What a transfer will allocate, estimated before anything is: activations, gradients, targets, the
// optimiser's state, the weights and a margin for workspaces.
#include <algorithm>

#include "nst/transfer.hpp"
#include "objective.hpp"
#include "vgg_network.hpp"

namespace nst {

std::size_t estimate_transfer_memory(const VggWeights& weights, const TransferOptions& o, int width, int height) {
    const std::vector<Stage> stages = vgg_stages(weights, o.pool, height, width, deepest_loss_layer(o));
    std::size_t floats = 0, largest = std::size_t(3) * width * height, largest_gram = 0;
    for (const Stage& s : stages) {
        floats += s.size();  // activations
        largest = std::max(largest, s.size());
    }
    floats += 2 * largest;                          // two gradient buffers
    floats += std::size_t(6) * width * height * 3;  // image, Adam's m and v, gradient-free copies of inputs
    auto stage_of = [&](const std::string& layer) {
        const std::string c = canonical_layer(layer);
        for (const Stage& s : stages)
            if (s.name == c) return s;
        return stages.back();
    };
    for (const LayerWeight& l : o.content_layers) floats += stage_of(l.layer).size();
    for (const LayerWeight& l : o.style_layers) {
        const Stage s = stage_of(l.layer);
        floats += std::size_t(s.channels) * s.channels;
        largest_gram = std::max(largest_gram, std::size_t(s.channels) * s.channels);
    }
    floats += largest_gram;
    if (o.optimizer == OptimizerKind::Lbfgs)  // history of s and y, the previous gradient, the direction
        floats += (2 * std::size_t(std::max(o.lbfgs.history, 0)) + 2) * 3 * std::size_t(width) * height;
    for (const ConvWeights& c : weights.convs) floats += c.filters.size() + c.bias.size();
    // Convolution workspaces and library overhead: one more largest activation and 64 MiB.
    return (floats + largest) * sizeof(float) + (std::size_t(64) << 20);
}

}  // namespace nst
