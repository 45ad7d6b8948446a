// The style-transfer engine (Gatys, Ecker and Bethge): an image is optimised so that its VGG-19 features
// match the content image's on the content layers and its Gram matrices match the style image's on the
// style layers, plus an optional total-variation term. Written once, above nst::Backend.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "nst/backend.hpp"
#include "nst/image.hpp"
#include "nst/weights.hpp"

namespace nst {

// A loss layer and its weight. Names are VGG-19's: reluB_K (or convB_K, which means the same post-ReLU
// output, as in the notebook) or poolB.
struct LayerWeight {
    std::string layer;
    float weight = 1.0f;
};

enum class InitKind { Noise, Content, Style, Image };
enum class OptimizerKind { Adam, Lbfgs };

// L-BFGS as jcjohnson/neural-style runs it (torch's optim.lbfgs without a line search): the two-loop
// recursion over the last `history` curvature pairs, then a fixed step lr (the first step
// min(1, 1/|g|₁)·lr). No line search, so each iteration costs one evaluation and the loop never waits for a
// loss value; pairs with yᵀs <= 1e-10 are skipped. All of it on the backend (device dot products).
struct LbfgsParams {
    int history = 10;
    float lr = 1.0f;
};

// A style image and its share of the blended Gram targets (shares are normalised to sum to 1).
struct StyleImage {
    Image image;
    float weight = 1.0f;
};

struct TransferOptions {
    int iterations = 500;
    OptimizerKind optimizer = OptimizerKind::Adam;
    AdamParams adam;  // lr 2.0, TensorFlow 1's update by default (the notebook's)
    LbfgsParams lbfgs;

    std::vector<LayerWeight> content_layers = {{"relu4_2", 1.0f}};
    std::vector<LayerWeight> style_layers = {
        {"relu1_1", 0.5f}, {"relu2_1", 1.0f}, {"relu3_1", 1.5f}, {"relu4_1", 3.0f}, {"relu5_1", 4.0f}};
    float content_weight = 5.0f;
    float style_weight = 100.0f;
    float tv_weight = 0.0f;
    PoolMode pool = PoolMode::Average;
    // 0: each style image is resized to the output size (the notebook). s > 0: its longer side becomes s
    // times the output's, aspect kept; its Gram matrices are rescaled by the pixel-count ratio, so that
    // only the scale of the patterns changes.
    float style_scale = 0.0f;
    // Weights each style layer's loss by 4N²M² / ΣA² (A: its target Gram matrix), so that it becomes
    // style weight · layer weight · Σ(G−A)² / ΣA², the Gram matrix's relative squared error: every layer
    // contributes, whatever its scale.
    bool normalize_style_layers = false;

    InitKind init = InitKind::Noise;  // Style: the first style image, resized to the output
    float noise_ratio = 0.7f;         // Noise: ratio · uniform(−20, 20) + (1 − ratio) · content
    std::uint64_t seed = 0;
    Image init_image;  // InitKind::Image: resized to the output size
};

// Rescales every convolution's filters and bias, channel by channel from conv1_1 up, so that each channel's
// mean ReLU activation over the reference images is 1 (Gatys et al.'s normalised VGG). What the network
// computes up to scale is unchanged; the layers' very different scales (worst in an untrained network) no
// longer decide which ones dominate the loss. A channel that is zero on every reference stays as it is.
void normalize_network(Backend& backend, VggWeights& weights, const std::vector<Image>& references, PoolMode pool);

// The notebook's constants, exactly (tests/cpu/test_transfer.cpp pins each one).
TransferOptions notebook_options();

// Canonical name of a loss layer: "conv4_2" and "relu4_2" are both "relu4_2"; "pool3" stays. nst::Error
// for an unknown name.
std::string canonical_layer(const std::string& name);

struct Losses {
    float total = 0.0f;
    float content = 0.0f;  // content_weight · Σ layer weight · Σ(F−P)²/(4NM)
    float style = 0.0f;    // style_weight · Σ layer weight · Σ(G−A)²/(4N²M²)
    float tv = 0.0f;       // tv_weight · Σ squared neighbour differences
};

// Memory a transfer of this size would need on a backend (activations, gradients, targets, weights,
// workspace), in bytes: what StyleTransfer checks before it allocates anything.
std::size_t estimate_transfer_memory(const VggWeights& weights, const TransferOptions& options, int width, int height);

class StyleTransfer {
public:
    // The content image fixes the output size. Several style images blend their Gram targets by weight.
    // Everything the loop needs is allocated here; nst::Error (with the estimate) when the backend cannot
    // hold it.
    StyleTransfer(Backend& backend, const VggWeights& weights, const Image& content,
                  const std::vector<StyleImage>& styles, const TransferOptions& options);
    StyleTransfer(Backend& backend, const VggWeights& weights, const Image& content, const Image& style,
                  const TransferOptions& options);
    ~StyleTransfer();
    StyleTransfer(const StyleTransfer&) = delete;
    StyleTransfer& operator=(const StyleTransfer&) = delete;

    // What the per-iteration callback sees. losses() and image() wait for the backend (the only
    // host-device synchronisation in the loop), so a callback that asks for neither lets it run ahead.
    class Iteration {
    public:
        int index() const noexcept { return index_; }  // optimiser steps taken: the image after `index` steps
        int total() const noexcept { return total_; }  // the iterations requested
        // Losses of the image after index() steps. nst::Error if any of them is NaN or infinite.
        const Losses& losses();
        Image image() const;

    private:
        friend class StyleTransfer;
        Iteration(StyleTransfer& owner, int index, int total) : owner_(owner), index_(index), total_(total) {}
        StyleTransfer& owner_;
        int index_;
        int total_;
        bool have_losses_ = false;
        Losses losses_;
    };
    // Called for i = 0 (the initial image) ... iterations (the final one); returns false to stop early.
    using Callback = std::function<bool(Iteration&)>;

    // Runs options.iterations optimiser steps. Returns the number of steps taken.
    int run(const Callback& callback = {});

    // One optimiser step (forward, losses, backward, update) without waiting for the backend: for callers
    // who drive the loop themselves, and for nst-bench. Returns the steps taken so far.
    int step();

    // The current image (after the steps taken so far).
    Image image() const;
    int width() const noexcept;
    int height() const noexcept;
    Backend& backend() noexcept;

    // Makes x (1 x 3 x H x W, mean-subtracted, host memory) the current image and returns its losses and
    // (unless null) its gradient: for gradient checks and for users who drive their own optimiser.
    Losses loss_and_gradient(const std::vector<float>& x, std::vector<float>* gradient);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace nst
