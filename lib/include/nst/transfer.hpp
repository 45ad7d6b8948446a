// The style-transfer engine (Gatys, Ecker and Bethge): an image is optimised so that its VGG-19 features
// match the content image's on the content layers and its Gram matrices match the style image's on the
// style layers, plus an optional total-variation term. Written once, above nst::Backend. What it is asked
// to do: nst/options.hpp.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "nst/backend.hpp"
#include "nst/image.hpp"
#include "nst/options.hpp"
#include "nst/weights.hpp"

namespace nst {

// A style image and its share of the blended Gram targets (shares are normalised to sum to 1).
struct StyleImage {
    Image image;
    float weight = 1.0f;
};

// Rescales every convolution's filters and bias, channel by channel from conv1_1 up, so that each channel's
// mean ReLU activation over the reference images is 1 (Gatys et al.'s normalised VGG). What the network
// computes up to scale is unchanged; the layers' very different scales (worst in an untrained network) no
// longer decide which ones dominate the loss. A channel that is zero on every reference stays as it is.
// tile > 0 runs the network in tiles of that side (as a tiled transfer does; the means are the same up to
// summation order), for references too large to run whole.
void normalize_network(Backend& backend, VggWeights& weights, const std::vector<Image>& references, PoolMode pool,
                       int tile = 0);

// The loss and its terms (libnst's table of terms: lib/src/transfer/loss_terms.hpp).
struct Losses {
    float total = 0.0f;
    float content = 0.0f;  // content_weight · Σ layer weight · Σ(F−P)²/(4NM)
    float style = 0.0f;    // style_weight · Σ layer weight · Σ(G−A)²/(4N²M²)
    float tv = 0.0f;       // tv_weight · Σ squared neighbour differences
    float temporal = 0.0f;  // temporal_weight · Σ c (x − w)² / (3HW) (video; 0 without)
};

// One loss term as reports show it: its name and its value in Losses.
struct LossColumn {
    const char* name;  // "content", "style", "tv", "temporal"
    float Losses::*value;
};
// The terms a transfer with these options reports, in order: content, style and tv always, others (the
// video's temporal term) when weighted. nst's progress line and --log columns.
std::vector<LossColumn> loss_columns(const TransferOptions& options);

// Memory an untiled transfer of this size would allocate on this backend at its peak, in bytes: the network's
// activations and weights, the gradients, the targets, the optimiser's state, the style images' networks
// while their targets are computed, and the backend's convolution scratch (CPU: the im2col buffer, so the
// estimate is within a few percent of the measured peak; CUDA: an upper bound of cuDNN's search scratch).
// What StyleTransfer checks before it allocates anything. `styles` (when given) sizes the style networks;
// `batch` images optimised together multiply everything per image (activations, targets, optimiser state).
std::size_t estimate_transfer_memory(const Backend& backend, const VggWeights& weights, const TransferOptions& options,
                                     int width, int height, const std::vector<StyleImage>& styles = {},
                                     int batch = 1);

// The largest number of elements libnst allows in one tensor: cuDNN's descriptors and cuBLAS take int sizes.
constexpr std::size_t kMaxTensorElements = 2147483647;  // 2³¹ − 1

// How a transfer runs: on the whole image at once, or tile by tile (docs/usage.md, "Images of any size").
// Tiles compute exactly what the whole image would (up to float summation order): each tile's network reads
// a halo as wide as the deepest loss layer's reach, and the Gram matrices are summed over all tiles before
// any gradient is formed, at the cost of the halo's extra pixels and a second forward pass per tile (saved
// for the tiles whose activations the budget can keep).
struct TransferPlan {
    bool tiled = false;
    int tile = 0;              // a tile's side in output pixels, halo excluded
    int halo = 0;              // pixels each tile's network reads beyond its own, per side
    int rows = 0, cols = 0;    // the tiles
    double overhead = 1.0;     // pixels the network reads per output pixel (the halo's cost; 1 untiled)
    int kept_tiles = 0;        // tiles whose activations the budget keeps from pass 1 to pass 2 (no second forward)
    std::size_t estimate = 0;  // bytes allocated at the peak (estimate_transfer_memory's rule)
    std::size_t budget = 0;    // the limit planned for: options.max_memory, or the backend's available less a tenth
    // "untiled: about 1.21 GiB of a 20.47 GiB budget" or "tiled: 720x720 px tiles (+80 px halo on each side),
    // 9 tiles (3x3), the network reads 1.34x the image's pixels; about 497 MiB of a 500 MiB budget"; with room
    // to keep activations the tiles read "16 tiles (4x4; all kept between the passes)".
    std::string describe() const;
};

// The plan for a width x height transfer: whole when options.tile is 0, the estimate is within the budget and
// no tensor reaches kMaxTensorElements; otherwise tiles of options.tile (or, when 0, the largest that fit).
// nst::Error when even the smallest tiles do not fit (the image, its gradient, the optimiser's state and the
// content targets stay whole), or options.tile does not.
TransferPlan plan_transfer(const Backend& backend, const VggWeights& weights, const TransferOptions& options,
                           int width, int height, const std::vector<StyleImage>& styles = {});

// The bytes of a tiled transfer with tiles of `tile` (rounded up to the pooling grid) at its peak, the
// activations of its first `kept_tiles` tiles kept between the passes.
std::size_t estimate_tiled_memory(const Backend& backend, const VggWeights& weights, const TransferOptions& options,
                                  int width, int height, int tile, const std::vector<StyleImage>& styles = {},
                                  int kept_tiles = 0);

// Every check StyleTransfer makes before allocating (validate_options, plan_transfer, and the plan's estimate
// against the memory the backend has, which a larger options.max_memory does not override) and its plan. For
// callers that do work at the transfer's size before it (the nst app normalises the random network there).
TransferPlan check_transfer_fits(const Backend& backend, const VggWeights& weights, const TransferOptions& options,
                                 int width, int height, const std::vector<StyleImage>& styles = {});

// check_transfer_fits for `batch` images of width x height optimised together: one image is
// check_transfer_fits; more need Adam (L-BFGS's steps would couple the images), no --tile, tensors under
// kMaxTensorElements and the estimate within the budget (the error says to lower the batch).
TransferPlan check_batch_fits(const Backend& backend, const VggWeights& weights, const TransferOptions& options,
                              int width, int height, int batch, const std::vector<StyleImage>& styles = {});

// The style's part of a transfer, computed once and reused by every transfer of one output size with the
// same options (nst batch computes it once per size): each style layer's blended Gram target A (C x C,
// row-major, rescaled to width x height's pixel count) and its weight (after normalize_style_layers).
struct StyleTargets {
    struct Layer {
        std::string layer;  // canonical name
        float weight = 0.0f;
        std::vector<float> gram;
    };
    int width = 0, height = 0;
    std::vector<Layer> layers;
};

// The targets StyleTransfer would compute for a width x height output with these style images (in tiles when
// the plan tiles, as the transfer would).
StyleTargets compute_style_targets(Backend& backend, const VggWeights& weights, const TransferOptions& options,
                                   int width, int height, const std::vector<StyleImage>& styles);

// nst::Error unless every tensor of an untiled width x height transfer (and of its style images' networks)
// stays within kMaxTensorElements; the message names the largest tensor and the largest size that fits.
void check_tensor_sizes(const VggWeights& weights, const TransferOptions& options, int width, int height,
                        const std::vector<StyleImage>& styles = {});

class StyleTransfer {
public:
    // The content image fixes the output size. Several style images blend their Gram targets by weight.
    // The options are checked first (validate_options); then everything the loop needs is allocated here,
    // or nst::Error (with the estimate) when the backend cannot hold it.
    StyleTransfer(Backend& backend, const VggWeights& weights, const Image& content,
                  const std::vector<StyleImage>& styles, const TransferOptions& options);
    StyleTransfer(Backend& backend, const VggWeights& weights, const Image& content, const Image& style,
                  const TransferOptions& options);
    // A batch: `contents` (one or more images of one size, the targets' size) optimised together against
    // style targets computed once (compute_style_targets). Every image has its own content targets, losses and
    // Adam state, and ends as it would alone (up to float summation order); the network runs on all of them
    // at once. More than one image needs Adam and an untiled plan (check_batch_fits). options.init Style
    // needs the style images: use InitKind::Image with the style image instead.
    StyleTransfer(Backend& backend, const VggWeights& weights, const std::vector<Image>& contents,
                  const StyleTargets& style, const TransferOptions& options);
    ~StyleTransfer();
    StyleTransfer(const StyleTransfer&) = delete;
    StyleTransfer& operator=(const StyleTransfer&) = delete;

    // What the per-iteration callback sees. losses() and image() wait for the backend (the only
    // host-device synchronisation in the loop), so a callback that asks for neither lets it run ahead.
    class Iteration {
    public:
        int index() const noexcept { return index_; }  // optimiser steps taken: the image after `index` steps
        int total() const noexcept { return total_; }  // the iterations requested
        // Losses of the image after index() steps (of a batch: their sums over the images). nst::Error if any
        // of them is NaN or infinite.
        const Losses& losses();
        // A batch's losses image by image.
        const std::vector<Losses>& batch_losses();
        Image image(int index = 0) const;

    private:
        friend class StyleTransfer;
        Iteration(StyleTransfer& owner, int index, int total) : owner_(owner), index_(index), total_(total) {}
        StyleTransfer& owner_;
        int index_;
        int total_;
        bool have_losses_ = false;
        Losses losses_;
        std::vector<Losses> batch_losses_;
    };
    // Called for i = 0 (the initial image) ... iterations (the final one); returns false to stop early.
    using Callback = std::function<bool(Iteration&)>;

    // Runs options.iterations optimiser steps. Returns the number of steps taken.
    int run(const Callback& callback = {});

    // How it runs (whole or in tiles).
    const TransferPlan& plan() const noexcept;
    // Called before each tile's work in a tiled run: the pass (1: forward and Gram matrices, 2: gradients),
    // the tile (0-based) and the number of tiles. Not called in an untiled run.
    void on_tile(std::function<void(int pass, int tile, int tiles)> observer);

    // One optimiser step (forward, losses, backward, update) without waiting for the backend: for callers
    // who drive the loop themselves, and for nst-bench. Returns the steps taken so far.
    int step();

    // The current image (after the steps taken so far); of a batch, image `index`.
    Image image(int index = 0) const;
    const TransferOptions& options() const noexcept;  // as given, validated
    int batch() const noexcept;  // images optimised together (1 unless a batch was given)
    int width() const noexcept;
    int height() const noexcept;
    Backend& backend() noexcept;

    // Makes x (batch x 3 x H x W, mean-subtracted, host memory) the current image and returns its losses and
    // (unless null) its gradient: for gradient checks and for users who drive their own optimiser.
    Losses loss_and_gradient(const std::vector<float>& x, std::vector<float>* gradient);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace nst
