// The transfer's loss tile by tile (tiled_objective.hpp): two passes over the tiles per evaluation, every
// loss term restricted to each tile's own positions.
#include "transfer/tiled_objective.hpp"

#include <algorithm>
#include <cmath>

#include "nst/error.hpp"

namespace nst {

namespace {

constexpr std::size_t kFloat = sizeof(float);

// Where the terms are and how large their per-tile pieces get: what the constructor allocates and
// tiled_objective_bytes counts, computed once for both.
struct TermGeometry {
    struct Layer {
        int stage = 0, channels = 0;
        double pixels = 0;  // M of the whole output
        std::size_t size = 0;
    };
    std::vector<Layer> content, style;
    std::size_t packed = 1;     // the largest C x own pixels of any term's stage, over every plan's tiles
    std::size_t style_own = 1;  // the largest own pixel count at a style stage (the zero bias)
    std::size_t largest_gram = 1;
};

TermGeometry::Layer layer_geometry(const std::vector<Stage>& whole, const std::string& layer) {
    const std::string name = canonical_layer(layer);
    const auto it = std::find_if(whole.begin(), whole.end(), [&](const Stage& s) { return s.name == name; });
    TermGeometry::Layer l;
    l.stage = static_cast<int>(it - whole.begin());
    l.channels = it->channels;
    l.pixels = double(it->height) * it->width;
    l.size = it->size();
    return l;
}

TermGeometry term_geometry(const VggWeights& w, const TransferOptions& o, const std::vector<const TilePlan*>& plans) {
    const TilePlan& out = *plans.front();
    const std::vector<Stage> whole = vgg_stages(w, o.pool, out.height, out.width, deepest_loss_layer(o));
    const std::vector<int> scales = stage_scales(whole);
    TermGeometry g;
    for (const LayerWeight& l : o.content_layers) g.content.push_back(layer_geometry(whole, l.layer));
    for (const LayerWeight& l : o.style_layers) g.style.push_back(layer_geometry(whole, l.layer));
    for (const TilePlan* p : plans)
        for (const Tile& t : p->tiles) {
            for (const auto* list : {&g.content, &g.style})
                for (const TermGeometry::Layer& l : *list) {
                    const CropWindow own = own_window(t, scales[std::size_t(l.stage)], p->height, p->width);
                    const std::size_t m = std::size_t(own.height) * own.width;
                    g.packed = std::max(g.packed, m * std::size_t(l.channels));
                    if (list == &g.style) g.style_own = std::max(g.style_own, m);
                }
        }
    for (const TermGeometry::Layer& l : g.style)
        g.largest_gram = std::max(g.largest_gram, std::size_t(l.channels) * l.channels);
    return g;
}

std::vector<const TilePlan*> all_plans(const TilePlan& plan, const std::vector<TilePlan>& style_plans) {
    std::vector<const TilePlan*> plans{&plan};
    for (const TilePlan& p : style_plans) plans.push_back(&p);
    return plans;
}

std::size_t conv_count(const VggWeights& w, const TransferOptions& o, const TilePlan& plan) {
    std::size_t n = 0;
    for (const Stage& s : vgg_stages(w, o.pool, plan.height, plan.width, deepest_loss_layer(o))) n += s.conv;
    return n;
}

}  // namespace

std::vector<TilePlan> style_tile_plans(const TransferOptions& o, const TilePlan& plan,
                                       const std::vector<StyleImage>& styles) {
    std::vector<TilePlan> plans;
    for (const StyleImage& st : styles) {
        int sw = 0, sh = 0;
        style_image_size(o, plan.width, plan.height, st.image, &sw, &sh);
        plans.push_back(plan_tiles(sw, sh, plan.tile, plan.halo));
    }
    return plans;
}

TiledObjectiveBytes tiled_objective_bytes(const OpBackend& backend, const VggWeights& w, const TransferOptions& o,
                                          const TilePlan& plan, const std::vector<TilePlan>& style_plans,
                                          int kept_tiles) {
    const std::vector<const TilePlan*> plans = all_plans(plan, style_plans);
    const TiledNetworkBytes net = TiledNetwork::bytes(backend, w, o.pool, deepest_loss_layer(o), plans);
    const TermGeometry g = term_geometry(w, o, plans);
    std::size_t weights = 0;
    for (std::size_t i = 0; i < conv_count(w, o, plan); ++i)
        weights += w.convs[i].filters.size() + w.convs[i].bias.size();
    std::size_t floats = g.content.size() * plan.tiles.size() + g.style.size() + kLossSlots + 1;  // loss slots
    for (const auto& l : g.content) floats += l.size;
    for (int i = 0; i < kept_tiles && i + 1 < static_cast<int>(plan.tiles.size()); ++i)
        floats += TiledNetwork::activation_size(w, o.pool, deepest_loss_layer(o), plan.tiles[std::size_t(i)]);
    for (const auto& l : g.style) floats += 3 * std::size_t(l.channels) * l.channels;
    floats += 2 * g.packed + g.style_own + g.largest_gram + std::size_t(3) * plan.width * plan.height;
    TiledObjectiveBytes b;
    b.kept = weights * kFloat + net.outputs + net.input + 2 * net.largest + floats * kFloat;
    b.conv_scratch = net.conv_scratch;
    return b;
}

TiledObjective::TiledObjective(OpBackend& backend, const VggWeights& weights, const TransferOptions& options,
                               TilePlan plan, const std::vector<StyleImage>& styles, int kept_tiles)
    : ObjectiveBase(plan.width, plan.height),
      backend_(backend),
      options_(options),
      mean_(weights.mean_rgb),
      plan_(std::move(plan)),
      style_plans_(style_tile_plans(options_, plan_, styles)) {
    weights_ = upload_weights(backend_, weights, conv_count(weights, options_, plan_));
    const std::vector<const TilePlan*> plans = all_plans(plan_, style_plans_);
    net_ =
        std::make_unique<TiledNetwork>(backend_, weights_, weights, options_.pool, deepest_loss_layer(options_), plans);
    make_terms(weights);
    grad_a_ = backend_.allocate(net_->largest());
    grad_b_ = backend_.allocate(net_->largest());
    image_grad_ = backend_.allocate(image_size());
    content_values_ = backend_.allocate(content_.size() * plan_.tiles.size());
    style_values_ = backend_.allocate(style_.size());
    sums_ = backend_.allocate(kLossSlots + 1);  // the last slot takes values pass 2 computes again
    backend_.fill(sums_.data(), sums_.size(), 0.0f);
    image_terms_ = std::make_unique<ImageTerms>(backend_, options_, mean_.data(), width_, height_);
    const std::string last = deepest_loss_layer(options_);
    for (int i = 0; i < kept_tiles && i + 1 < static_cast<int>(plan_.tiles.size()); ++i)
        kept_.push_back(backend_.allocate(
            TiledNetwork::activation_size(weights, options_.pool, last, plan_.tiles[std::size_t(i)])));
}

void TiledObjective::make_terms(const VggWeights& weights) {
    const std::vector<const TilePlan*> plans = all_plans(plan_, style_plans_);
    const TermGeometry g = term_geometry(weights, options_, plans);
    const std::vector<int> scales = stage_scales(net_->network(plan_.tiles[0]).stages());
    auto term = [](const LayerWeight& l, float overall, const TermGeometry::Layer& at) {
        Term t;
        t.loss.layer = canonical_layer(l.layer);
        t.loss.stage = at.stage;
        t.loss.weight = overall * l.weight;
        t.channels = at.channels;
        t.pixels = at.pixels;
        return t;
    };
    for (std::size_t k = 0; k < g.content.size(); ++k) {
        Term t = term(options_.content_layers[k], options_.content_weight, g.content[k]);
        t.loss.target = backend_.allocate(g.content[k].size);
        std::size_t offset = 0;
        for (const Tile& tile : plan_.tiles) {
            t.offsets.push_back(offset);
            const CropWindow own = own_window(tile, scales[std::size_t(t.loss.stage)], height_, width_);
            offset += std::size_t(t.channels) * own.height * own.width;
        }
        content_.push_back(std::move(t));
    }
    for (std::size_t k = 0; k < g.style.size(); ++k) {
        Term t = term(options_.style_layers[k], options_.style_weight, g.style[k]);
        const std::size_t gram = std::size_t(t.channels) * t.channels;
        t.loss.target = backend_.allocate(gram);
        t.gram = backend_.allocate(gram);
        t.diff = backend_.allocate(gram);
        style_.push_back(std::move(t));
    }
    packed_ = backend_.allocate(g.packed);
    packed_grad_ = backend_.allocate(g.packed);
    zeros_ = backend_.allocate(g.style_own);
    backend_.fill(zeros_.data(), zeros_.size(), 0.0f);
    gram_scratch_ = backend_.allocate(g.largest_gram);
}

CropWindow TiledObjective::own(const TilePlan& plan, std::size_t tile, int stage) const {
    return own_window(plan.tiles[tile], net_->scale(stage), plan.height, plan.width);
}

void TiledObjective::notify(int pass, std::size_t tile) const {
    if (observer_) observer_(pass, static_cast<int>(tile), static_cast<int>(plan_.tiles.size()));
}

void TiledObjective::set_content_targets(const float* content) {
    for (std::size_t i = 0; i < plan_.tiles.size(); ++i) {
        const VggNetwork& net = net_->forward(plan_, plan_.tiles[i], content);
        for (Term& t : content_) {
            const Stage& s = net.stage(t.loss.stage);
            backend_.crop_forward(s.channels, s.height, s.width, own(plan_, i, t.loss.stage), net.output(t.loss.stage),
                                  t.loss.target.data() + t.offsets[i]);
        }
    }
}

// The weights are the constructor's: its networks (sized for the style images too) already hold them.
void TiledObjective::set_style_targets(const VggWeights&, const std::vector<StyleImage>& styles) {
    const std::vector<double> shares = style_shares(styles);
    if (styles.size() != style_plans_.size())
        throw Error("TiledObjective: " + std::to_string(styles.size()) + " style images, planned for " +
                    std::to_string(style_plans_.size()));
    for (Term& t : style_) backend_.fill(t.loss.target.data(), t.loss.target.size(), 0.0f);
    for (std::size_t i = 0; i < styles.size(); ++i)
        if (shares[i] > 0) add_style_image(styles[i], style_plans_[i], shares[i]);
    if (!options_.normalize_style_layers) return;
    Buffer out = backend_.allocate(1);
    for (Term& t : style_) {
        float norm2 = 0.0f;
        backend_.dot(t.loss.target.data(), t.loss.target.data(), t.loss.target.size(), out.data());
        backend_.download(out.data(), &norm2, 1);
        t.loss.weight = normalized_style_weight(t.loss.weight, t.channels, t.pixels, norm2);
    }
}

// Adds share · (pixel-count ratio) · one style image's Gram matrices, summed over its tiles, to the targets.
void TiledObjective::add_style_image(const StyleImage& style, const TilePlan& plan, double share) {
    const Image sized = resize_image(style.image, plan.width, plan.height);
    Buffer input = backend_.allocate(std::size_t(3) * plan.width * plan.height);
    backend_.image_to_tensor(sized.rgb.data(), plan.height, plan.width, mean_.data(), input.data());
    for (std::size_t i = 0; i < plan.tiles.size(); ++i) {
        const VggNetwork& net = net_->forward(plan, plan.tiles[i], input.data());
        for (Term& t : style_) {
            const int scale = net_->scale(t.loss.stage);
            const double pixels = double((plan.height + scale - 1) / scale) * ((plan.width + scale - 1) / scale);
            own_gram(plan, i, net, t, gram_scratch_.data());
            backend_.axpy(static_cast<float>(share * t.pixels / pixels), gram_scratch_.data(), t.loss.target.data(),
                          t.loss.target.size());
        }
    }
    backend_.synchronize();  // the style tensor is freed on return
}

// The Gram matrix of term t's features at tile i's own positions into `gram` (C x C); the features stay in
// packed_ (C x own pixels).
void TiledObjective::own_gram(const TilePlan& plan, std::size_t i, const VggNetwork& net, const Term& t, float* gram) {
    const Stage& s = net.stage(t.loss.stage);
    const CropWindow w = own(plan, i, t.loss.stage);
    const std::size_t m = std::size_t(w.height) * w.width;
    backend_.crop_forward(s.channels, s.height, s.width, w, net.output(t.loss.stage), packed_.data());
    backend_.gram(packed_.data(), s.channels, static_cast<std::int64_t>(m), gram);
}

// Pass 1 for tile i: its own Gram matrices added to the global ones, its content losses into their slots.
void TiledObjective::first_pass(std::size_t i, const VggNetwork& net) {
    for (Term& t : style_) {
        if (i == 0) {
            own_gram(plan_, i, net, t, t.gram.data());
        } else {
            own_gram(plan_, i, net, t, gram_scratch_.data());
            backend_.axpy(1.0f, gram_scratch_.data(), t.gram.data(), t.gram.size());
        }
    }
    for (std::size_t k = 0; k < content_.size(); ++k) {
        const Term& t = content_[k];
        const Stage& s = net.stage(t.loss.stage);
        const CropWindow w = own(plan_, i, t.loss.stage);
        const std::size_t n = std::size_t(s.channels) * w.height * w.width;
        float* slot = content_values_.data() + k * plan_.tiles.size() + i;
        backend_.crop_forward(s.channels, s.height, s.width, w, net.output(t.loss.stage), packed_.data());
        backend_.squared_difference_sum(packed_.data(), t.loss.target.data() + t.offsets[i], n, slot);
        backend_.scale(static_cast<float>(t.loss.weight / (4.0 * t.channels * t.pixels)), slot, 1);
    }
}

// After pass 1: G − A per style term and its loss weight · Σ(G−A)² / (4C²M²).
void TiledObjective::style_values() {
    for (std::size_t k = 0; k < style_.size(); ++k) {
        Term& t = style_[k];
        backend_.copy(t.gram.data(), t.diff.data(), t.diff.size());
        backend_.axpy(-1.0f, t.loss.target.data(), t.diff.data(), t.diff.size());
        backend_.dot(t.diff.data(), t.diff.data(), t.diff.size(), style_values_.data() + k);
        const double c2m2 = double(t.channels) * t.channels * t.pixels * t.pixels;
        backend_.scale(static_cast<float>(t.loss.weight / (4.0 * c2m2)), style_values_.data() + k, 1);
    }
}

// dL/dF of every term at `stage`, at tile i's own positions (zero elsewhere), into g (the stage's output
// gradient): set by the first term met (the deepest stage always has one), added by the others.
void TiledObjective::add_term_gradients(std::size_t i, int stage, const VggNetwork& net, float* g, bool& started) {
    const Stage& s = net.stage(stage);
    const CropWindow w = own(plan_, i, stage);
    const std::size_t m = std::size_t(w.height) * w.width;
    for (const auto* list : {&content_, &style_})
        for (const Term& t : *list) {
            if (t.loss.stage != stage) continue;
            if (!started) backend_.fill(g, s.size(), 0.0f);
            started = true;
            backend_.crop_forward(s.channels, s.height, s.width, w, net.output(stage), packed_.data());
            if (list == &content_) {  // weight · (F − P) / (2CM): the op's 1/(2Cm) rescaled to the whole M
                backend_.content_loss(packed_.data(), t.loss.target.data() + t.offsets[i], s.channels,
                                      static_cast<std::int64_t>(m), static_cast<float>(t.loss.weight * m / t.pixels),
                                      sums_.data() + kLossSlots, packed_grad_.data(), false);
            } else {  // weight · (G − A) F / (C²M²), G the global Gram matrix
                backend_.dense_forward(s.channels, s.channels, static_cast<int>(m), t.diff.data(), packed_.data(),
                                       zeros_.data(), packed_grad_.data());
                const double c2m2 = double(t.channels) * t.channels * t.pixels * t.pixels;
                backend_.scale(static_cast<float>(t.loss.weight / c2m2), packed_grad_.data(), m * s.channels);
            }
            backend_.crop_backward(s.channels, s.height, s.width, w, packed_grad_.data(), g);
        }
}

// Pass 2 for tile i (its network's outputs current): backward from the deepest stage to the crop, whose
// gradient is added into the whole image's.
void TiledObjective::backward_tile(std::size_t i, VggNetwork& net) {
    float* g = grad_a_.data();
    float* other = grad_b_.data();
    bool started = false;
    for (int k = net.stage_count() - 1; k >= 0; --k) {
        add_term_gradients(i, k, net, g, started);
        net.backward_stage(k, k > 0 ? net.output(k - 1) : net_->input(), g, other);
        std::swap(g, other);
    }
    backend_.crop_backward(3, height_, width_, plan_.tiles[i].crop, g, image_grad_.data());
}

float* TiledObjective::evaluate(const float* x, bool gradient) {
    const std::size_t n = plan_.tiles.size();
    for (std::size_t i = 0; i < n; ++i) {
        notify(1, i);
        first_pass(i, net_->forward(plan_, plan_.tiles[i], x));
        if (gradient && i < kept_.size()) net_->keep(plan_.tiles[i], kept_[i].data());
    }
    style_values();
    if (gradient) {
        backend_.fill(image_grad_.data(), image_size(), 0.0f);
        for (std::size_t k = n; k-- > 0;) {  // backwards: the last tile's forward is still in place
            notify(2, n - 1 - k);
            const Tile& t = plan_.tiles[k];
            backward_tile(k, k + 1 == n         ? net_->network(t)
                             : k < kept_.size() ? net_->restore(t, kept_[k].data())
                                                : net_->forward(plan_, t, x));
        }
    }
    image_terms_->evaluate(x, sums_.data(), image_grad_.data());  // the image stays whole
    backend_.sum(content_values_.data(), content_values_.size(), sums_.data() + loss_slot("content"));
    backend_.sum(style_values_.data(), style_values_.size(), sums_.data() + loss_slot("style"));
    sum_loss_slots(backend_, sums_.data());
    return image_grad_.data();
}

std::vector<Losses> TiledObjective::read_batch_losses() {
    return read_loss_slots(backend_, sums_.data());
}

std::vector<StyleTargets::Layer> TiledObjective::export_style_targets() {
    std::vector<const LossTerm*> terms;
    for (const Term& t : style_) terms.push_back(&t.loss);
    return download_style_terms(backend_, terms);
}

void TiledObjective::import_style_targets(const std::vector<StyleTargets::Layer>& layers) {
    std::vector<LossTerm*> terms;
    for (Term& t : style_) terms.push_back(&t.loss);
    upload_style_terms(backend_, layers, terms);
}

}  // namespace nst
