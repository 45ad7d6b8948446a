// The style transfer's loss as a function of the image, on a backend: VGG-19 (cut after the deepest loss
// layer) forward, each content and style term at its layer, total variation on the image, and the
// backward pass to the image with every term's gradient added where its layer is. Values are written to
// backend memory (named slots), so evaluating never waits; read_losses() does. Private to libnst.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "nst/transfer.hpp"
#include "vgg_network.hpp"

namespace nst {

// The deepest loss layer of `options` (canonical name): where the network is cut.
std::string deepest_loss_layer(const TransferOptions& options);

// The size a style image is used at: the output's (style_scale 0), or its own aspect with its longest side
// style_scale times the output's.
void style_image_size(const TransferOptions& options, int width, int height, const Image& style, int* style_width,
                      int* style_height);

// One content or style term: its layer, weight (the overall weight times the layer's) and target (content:
// the features P, C x M; style: the Gram matrix A, C x C).
struct LossTerm {
    std::string layer;  // canonical name
    int stage = 0;      // where the network computes it
    float weight = 0.0f;
    Buffer target;
};

class Objective {
public:
    // The network for a width x height image, its weights uploaded, and every buffer evaluate() needs. The
    // targets are set by set_content_targets and add_style_targets before the first evaluate().
    Objective(Backend& backend, const VggWeights& weights, const TransferOptions& options, int width, int height);

    // Content targets: the features of `content` (1 x 3 x H x W on the backend) at the content layers.
    void set_content_targets(const float* content);
    // Style targets: each style image's Gram matrices at its own size (options.style_scale), rescaled to the
    // output's pixel count and blended by the images' shares; then the per-layer normalisation when
    // options.normalize_style_layers. `weights` are the ones the objective was made with.
    void set_style_targets(const VggWeights& weights, const std::vector<StyleImage>& styles);

    // The losses of x (1 x 3 x H x W) into backend memory and, when `gradient`, dL/dx: the returned buffer
    // holds it until the next evaluate(). (Without `gradient` the returned buffer holds no gradient.)
    float* evaluate(const float* x, bool gradient);
    // The last evaluate()'s losses (waits for the backend).
    Losses read_losses();

    int width() const noexcept { return width_; }
    int height() const noexcept { return height_; }
    std::size_t image_size() const noexcept { return std::size_t(3) * width_ * height_; }

private:
    // The loss sums in backend memory, in this order: tv + content + style is one sum into kTotal.
    enum Sum { kTv, kContent, kStyle, kTotal, kSums };
    void add_terms_at(int stage, float* gradient, bool& started);
    void add_style_image(const VggWeights& weights, const StyleImage& style, double share);
    void normalize_style_layers();

    Backend& backend_;
    TransferOptions options_;
    int width_, height_;
    std::array<float, 3> mean_;
    DeviceWeights weights_;
    std::unique_ptr<VggNetwork> network_;
    std::vector<LossTerm> content_terms_, style_terms_;
    Buffer content_values_, style_values_;  // one slot per term
    Buffer sums_;                           // kSums slots
    Buffer gram_scratch_;                   // the largest style layer's C x C
    Buffer grad_a_, grad_b_;                // the backward pass's two gradient buffers
};

}  // namespace nst
