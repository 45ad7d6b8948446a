// What a style transfer is asked to do, and the rules for it, decided once: the options with their
// defaults, the notebook's preset, the settings the built-in random VGG-19 needs, the multi-scale ladder,
// and the one function that checks them all (validate_options). The nst app fills these from its flags and
// adds only the flags' names to the errors.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nst/op_params.hpp"
#include "nst/image.hpp"

namespace nst {

// The largest image side libnst accepts (output sizes, multi-scale steps); beyond the memory of the device,
// a transfer runs in tiles (nst/transfer.hpp, plan_transfer). Input images are decoded up to 16384 a side.
constexpr int kMaxImageSide = 32768;

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

    InitKind init = InitKind::Content;  // Noise is the notebook's; Style: the first style image, resized
    float noise_ratio = 0.7f;           // Noise: ratio · uniform(−20, 20) + (1 − ratio) · content
    std::uint64_t seed = 0;
    Image init_image;  // InitKind::Image: resized to the output size

    // Tiling (plan_transfer): the tile's side in output pixels, halo excluded (rounded up to the pooling grid,
    // 16 px for VGG-19 through relu5_1); 0 tiles only when the whole image would not fit `max_memory` or a
    // tensor would reach 2³¹ elements.
    int tile = 0;
    // Bytes everything the transfer allocates on its backend must stay under; 0: what the backend has
    // available, less a tenth.
    std::size_t max_memory = 0;

    // Video (Ruder et al.'s short-term temporal loss): temporal_weight > 0 adds
    //   temporal_weight · Σ c (x − w)² / (3 H W)
    // with w the temporal_target (the previous frame's result warped to this frame by optical flow, at the
    // output size) and c the temporal_mask (H x W, row-major, weights 0 to 1: 0 where the previous frame does
    // not see the pixel or the flow is unreliable; nst/video.hpp makes both). One image, untiled.
    float temporal_weight = 0.0f;
    Image temporal_target;
    std::vector<float> temporal_mask;
};

// Throws OptionError naming the first option that is out of range: iterations >= 0; loss and layer weights
// finite and >= 0; learning rates finite and > 0; Adam's betas in [0, 1) and epsilon > 0; L-BFGS history 1
// to 1000; style scale 0 to 16; noise ratio 0 to 1; tile 0 to kMaxImageSide; every layer a VGG-19 layer; at least one loss layer;
// a temporal weight >= 0, and with one, a temporal target and a mask of its size with values 0 to 1.
void validate_options(const TransferOptions& options);

// The notebook's constants, exactly (tests/lib/transfer/test_transfer.cpp pins each one).
TransferOptions notebook_options();

// What the built-in random (untrained) VGG-19 needs to stylise rather than add coloured noise, measured on
// the demo pictures (docs/usage.md shows the comparison): shallow style layers relu1_1, relu2_1, relu3_1, the
// content layer relu3_2, content weight 25 and Adam's step 3. Sets each of those options in `options`
// except the ones named in `keep` (names as OptionError gives them: "style_layers", "content_layers",
// "content_weight", "adam.lr"; Adam's step only when the optimiser is Adam), and returns the names of the
// options it set. (The random network's other defaults, normalize_network and normalize_style_layers, are
// switched on by the caller.)
std::vector<std::string> apply_random_network_defaults(TransferOptions& options, const std::vector<std::string>& keep);

// The names the nst app and the docs give these choices: "adam" | "lbfgs", "tf1" | "pytorch", "avg" | "max",
// "noise" | "content" | "style" | "image".
const char* to_string(OptimizerKind kind) noexcept;
const char* to_string(AdamFlavor flavor) noexcept;
const char* to_string(PoolMode mode) noexcept;
const char* to_string(InitKind kind) noexcept;

// Canonical name of a loss layer: "conv4_2" and "relu4_2" are both "relu4_2"; "pool3" stays. nst::Error
// for an unknown name.
std::string canonical_layer(const std::string& name);

// The longest sides of a multi-scale run, ascending, the last being the output's. `scales`: the sides
// given (each 1 to kMaxImageSide, increasing, the last equal to `longest`); else `min_size` > 0: from min_size up to `longest` in steps
// of √2; else `longest` alone. OptionError ("scales", "min_size") otherwise.
std::vector<int> scale_ladder(const std::vector<int>& scales, int min_size, int longest);

}  // namespace nst
