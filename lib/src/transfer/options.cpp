// The transfer's options decided once: validation (one function, one wording), the notebook's preset, the
// random network's defaults and the multi-scale ladder.
#include "nst/options.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "nst/error.hpp"
#include "core/option_checks.hpp"
#include "transfer/loss_terms.hpp"
#include "nst/weights.hpp"

namespace nst {

namespace {

void check_layers(const char* option, const std::vector<LayerWeight>& layers) {
    for (const LayerWeight& l : layers) {
        try {
            canonical_layer(l.layer);
        } catch (const Error& e) {
            throw OptionError(option, std::string(": ") + e.what());
        }
        if (!std::isfinite(l.weight) || l.weight < 0)
            throw OptionError(option, ": layer " + l.layer + " has weight " + option_number(l.weight) +
                                          " (must be a finite number >= 0)");
    }
}

void check_optimizers(const TransferOptions& o) {
    check_positive("adam.lr", o.adam.lr);
    check_beta("adam.beta1", o.adam.beta1);
    check_beta("adam.beta2", o.adam.beta2);
    check_positive("adam.eps", o.adam.eps);
    check_positive("lbfgs.lr", o.lbfgs.lr);
    check_range("lbfgs.history", o.lbfgs.history, 1, 1000);
}

// Every loss term's weight >= 0, and with a weight, the term's own options (loss_terms.hpp).
void check_loss_terms(const TransferOptions& o) {
    for (const LossTermSpec& t : kLossTerms) {
        check_at_least_zero(t.option, o.*t.weight);
        if (t.check != nullptr && weighted(t, o)) t.check(o);
    }
}

}  // namespace

void validate_options(const TransferOptions& o) {
    if (o.iterations < 0) throw OptionError("iterations", std::to_string(o.iterations) + " (must be >= 0)");
    check_optimizers(o);
    check_loss_terms(o);
    check_layers("content_layers", o.content_layers);
    check_layers("style_layers", o.style_layers);
    if (o.content_layers.empty() && o.style_layers.empty())
        throw OptionError("style_layers", "and content_layers are both empty: nothing to optimise");
    check_range("style_scale", o.style_scale, 0.0, 16.0, "; 0: the output's size");
    check_range("noise_ratio", o.noise_ratio, 0.0, 1.0);
    check_range("tile", o.tile, 0, kMaxImageSide, "; 0: only when the image does not fit");
}

TransferOptions notebook_options() {
    TransferOptions o;
    o.iterations = 2000;
    o.optimizer = OptimizerKind::Adam;
    o.adam = AdamParams{};
    o.adam.lr = 2.0f;
    o.adam.flavor = AdamFlavor::TensorFlow1;  // tf.train.AdamOptimizer(2.0): beta1 0.9, beta2 0.999, eps 1e-8
    o.content_layers = {{"relu4_2", 1.0f}};
    o.style_layers = {{"relu1_1", 0.5f}, {"relu2_1", 1.0f}, {"relu3_1", 1.5f}, {"relu4_1", 3.0f}, {"relu5_1", 4.0f}};
    o.content_weight = 5.0f;  // BETA
    o.style_weight = 100.0f;  // ALPHA
    o.tv_weight = 0.0f;
    o.pool = PoolMode::Average;
    o.init = InitKind::Noise;
    o.noise_ratio = 0.7f;  // NOISE_RATIO
    return o;
}

std::vector<std::string> apply_random_network_defaults(TransferOptions& o, const std::vector<std::string>& keep) {
    std::vector<std::string> set;
    auto apply = [&](const char* name, auto& field, auto value) {
        if (std::find(keep.begin(), keep.end(), name) != keep.end()) return;
        field = value;
        set.emplace_back(name);
    };
    apply("style_layers", o.style_layers, std::vector<LayerWeight>{{"relu1_1", 1.0f}, {"relu2_1", 1.0f}, {"relu3_1", 1.0f}});
    apply("content_layers", o.content_layers, std::vector<LayerWeight>{{"relu3_2", 1.0f}});
    apply("content_weight", o.content_weight, 25.0f);
    if (o.optimizer == OptimizerKind::Adam) apply("adam.lr", o.adam.lr, 3.0f);
    return set;
}

const char* to_string(OptimizerKind kind) noexcept {
    return kind == OptimizerKind::Lbfgs ? "lbfgs" : "adam";
}

const char* to_string(AdamFlavor flavor) noexcept {
    return flavor == AdamFlavor::PyTorch ? "pytorch" : "tf1";
}

const char* to_string(PoolMode mode) noexcept {
    return mode == PoolMode::Max ? "max" : "avg";
}

const char* to_string(InitKind kind) noexcept {
    switch (kind) {
        case InitKind::Noise: return "noise";
        case InitKind::Content: return "content";
        case InitKind::Style: return "style";
        case InitKind::Image: return "image";
    }
    return "?";
}

std::string canonical_layer(const std::string& name) {
    vgg19_layer_position(name);  // throws for an unknown name
    if (name.compare(0, 4, "conv") == 0) return "relu" + name.substr(4);
    return name;
}

std::vector<int> scale_ladder(const std::vector<int>& scales, int min_size, int longest) {
    std::string given;
    for (int s : scales) given += (given.empty() ? "" : ",") + std::to_string(s);
    if (min_size < 0) throw OptionError("min_size", std::to_string(min_size) + " (must be >= 0; 0: one scale)");
    if (!scales.empty() && min_size > 0) throw OptionError("scales", given + ": give scales or min_size, not both");
    for (std::size_t i = 0; i < scales.size(); ++i) {
        if (scales[i] < 1 || scales[i] > kMaxImageSide)
            throw OptionError("scales", given + ": each scale must be a size from 1 to " + std::to_string(kMaxImageSide));
        if (i > 0 && scales[i] <= scales[i - 1]) throw OptionError("scales", given + ": sizes must increase");
    }
    if (!scales.empty() && scales.back() != longest)
        throw OptionError("scales", given + ": the last scale must be the output's longest side, " +
                                        std::to_string(longest) + " (leave out the size to take the last scale's)");
    if (!scales.empty()) return scales;
    std::vector<int> sizes;
    if (min_size > 0) {
        if (min_size >= longest)
            throw OptionError("min_size", std::to_string(min_size) + " (must be smaller than the output's longest side, " +
                                              std::to_string(longest) + ")");
        for (double s = min_size; s < longest; s *= std::sqrt(2.0)) sizes.push_back(static_cast<int>(std::lround(s)));
    }
    sizes.push_back(longest);
    return sizes;
}

}  // namespace nst
