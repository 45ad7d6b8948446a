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
#include "transfer/loss_terms.hpp"
#include "transfer/vgg_network.hpp"

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

// Each style image's share of the blended targets (the blend weights normalised to sum to 1); nst::Error for
// a weight that is negative or not finite, or when none is above 0.
std::vector<double> style_shares(const std::vector<StyleImage>& styles);
// A style term's weight times 4N²M² / ΣA² (TransferOptions::normalize_style_layers): N channels, M pixels,
// norm2 = ΣA² (the weight is kept when it is 0).
float normalized_style_weight(float weight, int channels, double pixels, float norm2);


// The transfer's loss as a function of the image: evaluated whole (Objective) or tile by tile
// (TiledObjective, tiled_objective.hpp), with the same results up to float summation order.
class ObjectiveBase {
public:
    virtual ~ObjectiveBase() = default;
    // Content targets: the features of `content` (1 x 3 x H x W on the backend) at the content layers.
    virtual void set_content_targets(const float* content) = 0;
    // Style targets: each style image's Gram matrices at its own size (options.style_scale), rescaled to the
    // output's pixel count and blended by the images' shares; then the per-layer normalisation when
    // options.normalize_style_layers. `weights` are the ones the objective was made with.
    virtual void set_style_targets(const VggWeights& weights, const std::vector<StyleImage>& styles) = 0;
    // The losses of x (1 x 3 x H x W) into backend memory and, when `gradient`, dL/dx: the returned buffer
    // holds it until the next evaluate(). (Without `gradient` the returned buffer holds no gradient.)
    virtual float* evaluate(const float* x, bool gradient) = 0;
    // The last evaluate()'s losses (waits for the backend): summed over the batch, and image by image.
    Losses read_losses();
    virtual std::vector<Losses> read_batch_losses() = 0;
    // The style terms' targets and weights as set_style_targets left them (host copies), and the same put
    // back: the style's work done once for many transfers of this size (nst::StyleTargets).
    virtual std::vector<StyleTargets::Layer> export_style_targets() = 0;
    virtual void import_style_targets(const std::vector<StyleTargets::Layer>& layers) = 0;

    int width() const noexcept { return width_; }
    int height() const noexcept { return height_; }
    int batch() const noexcept { return batch_; }
    std::size_t image_size() const noexcept { return std::size_t(3) * width_ * height_; }  // one image
    std::size_t batch_size() const noexcept { return std::size_t(batch_) * image_size(); }

protected:
    ObjectiveBase(int width, int height, int batch = 1) : width_(width), height_(height), batch_(batch) {}
    int width_, height_, batch_;
};

// Host copies of the targets of `terms` (style terms: Gram matrices), and the same uploaded; nst::Error when
// the layers differ from the terms'.
std::vector<StyleTargets::Layer> download_style_terms(OpBackend& backend, const std::vector<const LossTerm*>& terms);
void upload_style_terms(OpBackend& backend, const std::vector<StyleTargets::Layer>& layers,
                        const std::vector<LossTerm*>& terms);

class Objective final : public ObjectiveBase {
public:
    // The network for `batch` width x height images at once, its weights uploaded, and every buffer
    // evaluate() needs. Every image has its own content targets, losses and gradient; the style targets are
    // shared. The targets are set by set_content_targets (batch x 3 x H x W) and set_style_targets (or
    // import_style_targets) before the first evaluate().
    Objective(OpBackend& backend, const VggWeights& weights, const TransferOptions& options, int width, int height,
              int batch = 1);

    void set_content_targets(const float* content) override;
    void set_style_targets(const VggWeights& weights, const std::vector<StyleImage>& styles) override;
    float* evaluate(const float* x, bool gradient) override;
    std::vector<Losses> read_batch_losses() override;
    std::vector<StyleTargets::Layer> export_style_targets() override;
    void import_style_targets(const std::vector<StyleTargets::Layer>& layers) override;

private:
    void add_terms_at(int stage, float* gradient, bool started);
    void sum_losses(const float* x, float* gradient);
    void allocate_style_targets();
    void add_style_image(const VggWeights& weights, const StyleImage& style, double share);
    void normalize_style_layers();

    OpBackend& backend_;
    TransferOptions options_;
    std::array<float, 3> mean_;
    DeviceWeights weights_;
    std::unique_ptr<VggNetwork> network_;
    std::vector<LossTerm> content_terms_, style_terms_;
    Buffer content_values_, style_values_;  // one slot per term and image: image b's at b x terms
    Buffer sums_;                           // kLossSlots per image
    Buffer gram_scratch_;                   // the largest style layer's C x C
    Buffer grad_a_, grad_b_;                // the backward pass's two gradient buffers
    std::unique_ptr<ImageTerms> image_terms_;  // tv, temporal (loss_terms.hpp)
};

}  // namespace nst
