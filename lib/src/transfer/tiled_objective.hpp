// The transfer's loss evaluated tile by tile (tiling.hpp), for images whose network does not fit at once.
// Both losses are sums over positions, the style loss of Gram matrices that are themselves sums over
// positions, so:
//   pass 1, each tile: forward its crop; add the Gram matrices of its own positions to the global ones and
//     its content loss to the total;
//   pass 2, each tile (the last one's forward from pass 1 reused): forward again, form dL/dF at its own
//     positions from the global Gram matrices (zero in the halo), backward to the crop, and add the crop's
//     gradient into the whole image's. Halo pixels collect their neighbours' contributions; the sum is the
//     whole image's gradient.
// Total variation acts on the whole image as before. The image, its gradient and the targets stay whole in
// backend memory; only the network runs per tile. Private to libnst.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "transfer/objective.hpp"
#include "transfer/tiled_network.hpp"
#include "transfer/tiling.hpp"

namespace nst {

// Called before each tile's work: pass 1 or 2, the tile's index, and the number of tiles.
using TileObserver = std::function<void(int pass, int tile, int tiles)>;

class TiledObjective final : public ObjectiveBase {
public:
    // `plan`: the output's tiles; the style images (for their sizes) are the ones set_style_targets gets. The
    // activations of the first `kept_tiles` tiles are kept from pass 1 to pass 2 (the last one's always are).
    TiledObjective(OpBackend& backend, const VggWeights& weights, const TransferOptions& options, TilePlan plan,
                   const std::vector<StyleImage>& styles, int kept_tiles = 0);

    void set_content_targets(const float* content) override;
    void set_style_targets(const VggWeights& weights, const std::vector<StyleImage>& styles) override;
    float* evaluate(const float* x, bool gradient) override;
    std::vector<Losses> read_batch_losses() override;
    std::vector<StyleTargets::Layer> export_style_targets() override;
    void import_style_targets(const std::vector<StyleTargets::Layer>& layers) override;

    void set_observer(TileObserver observer) { observer_ = std::move(observer); }
    const TilePlan& plan() const noexcept { return plan_; }

private:
    // A loss term with its layer's channels and whole-image pixel count M.
    struct Term {
        LossTerm loss;
        int channels = 0;
        double pixels = 0;
        Buffer gram, diff;                 // style: Σ over tiles of the own Gram matrices; G − A
        std::vector<std::size_t> offsets;  // content: where each tile's own target starts in loss.target
    };
    void make_terms(const VggWeights& weights);  // the terms, and the scratch their per-tile pieces need
    void add_style_image(const StyleImage& style, const TilePlan& plan, double share);
    void own_gram(const TilePlan& plan, std::size_t tile, const VggNetwork& net, const Term& t, float* gram);
    void first_pass(std::size_t tile, const VggNetwork& net);
    void style_values();
    void add_term_gradients(std::size_t tile, int stage, const VggNetwork& net, float* g, bool& started);
    void backward_tile(std::size_t tile, VggNetwork& net);
    CropWindow own(const TilePlan& plan, std::size_t tile, int stage) const;
    void notify(int pass, std::size_t tile) const;

    OpBackend& backend_;
    TransferOptions options_;
    std::array<float, 3> mean_;
    TilePlan plan_;
    std::vector<TilePlan> style_plans_;
    DeviceWeights weights_;
    std::unique_ptr<TiledNetwork> net_;
    std::vector<Term> content_, style_;
    Buffer packed_, packed_grad_, zeros_;  // one term's own features and their gradient; a zero bias
    Buffer gram_scratch_;
    Buffer grad_a_, grad_b_, image_grad_;  // the crop's backward pass; the whole image's gradient
    Buffer content_values_;                // content terms x tiles
    Buffer style_values_, sums_;           // sums_: kLossSlots, then one for values pass 2 computes again
    std::unique_ptr<ImageTerms> image_terms_;  // tv, temporal, on the whole image (loss_terms.hpp)
    std::vector<Buffer> kept_;  // per kept tile: every stage output of its network, stage after stage
    TileObserver observer_;
};

// Bytes a TiledObjective of this plan allocates (its share of estimate_transfer_memory's sum).
struct TiledObjectiveBytes {
    std::size_t kept = 0;          // from construction to the end
    std::size_t conv_scratch = 0;  // the backend's largest convolution scratch
};
TiledObjectiveBytes tiled_objective_bytes(const OpBackend& backend, const VggWeights& weights,
                                          const TransferOptions& options, const TilePlan& plan,
                                          const std::vector<TilePlan>& style_plans, int kept_tiles = 0);

// The tiles of each style image at the size it is used at, with the output plan's tile and halo.
std::vector<TilePlan> style_tile_plans(const TransferOptions& options, const TilePlan& plan,
                                       const std::vector<StyleImage>& styles);

}  // namespace nst
