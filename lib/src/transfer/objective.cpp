// The transfer's objective: the network, the loss terms at their layers, and one evaluation = forward,
// losses (accumulated into the backward pass at their layers), backward to the image.
#include "transfer/objective.hpp"

#include <algorithm>
#include <cmath>

#include "nst/error.hpp"

namespace nst {

std::string deepest_loss_layer(const TransferOptions& o) {
    int deepest = -1;
    std::string name;
    for (const auto* list : {&o.content_layers, &o.style_layers})
        for (const LayerWeight& l : *list) {
            const std::string c = canonical_layer(l.layer);
            if (vgg19_layer_position(c) > deepest) {
                deepest = vgg19_layer_position(c);
                name = c;
            }
        }
    if (deepest < 0) throw Error("no content or style layers: nothing to optimise");
    return name;
}

void style_image_size(const TransferOptions& o, int width, int height, const Image& style, int* sw, int* sh) {
    *sw = width;
    *sh = height;
    if (o.style_scale > 0) {
        const int longest = std::max(1, static_cast<int>(std::lround(o.style_scale * std::max(width, height))));
        fit_longest_side(style.width, style.height, longest, sw, sh);
    }
}

std::vector<double> style_shares(const std::vector<StyleImage>& styles) {
    double sum = 0.0;
    for (const StyleImage& st : styles) {
        if (!std::isfinite(st.weight) || st.weight < 0)
            throw Error("style blend weight " + std::to_string(st.weight) + " (must be a finite number >= 0)");
        sum += st.weight;
    }
    if (styles.empty() || !(sum > 0)) throw Error("no style image with a blend weight above 0");
    std::vector<double> shares;
    for (const StyleImage& st : styles) shares.push_back(st.weight / sum);
    return shares;
}

float normalized_style_weight(float weight, int channels, double pixels, float norm2) {
    const double n = channels;
    return norm2 > 0 ? static_cast<float>(weight * 4.0 * n * n * pixels * pixels / norm2) : weight;
}

namespace {

std::vector<LossTerm> make_terms(const VggNetwork& net, const std::vector<LayerWeight>& layers, float weight) {
    std::vector<LossTerm> terms;
    for (const LayerWeight& l : layers) {
        LossTerm t;
        t.layer = canonical_layer(l.layer);
        t.stage = net.find(t.layer);
        t.weight = weight * l.weight;
        terms.push_back(std::move(t));
    }
    return terms;
}

}  // namespace

Objective::Objective(OpBackend& backend, const VggWeights& weights, const TransferOptions& options, int width,
                     int height, int batch)
    : ObjectiveBase(width, height, batch), backend_(backend), options_(options), mean_(weights.mean_rgb) {
    std::vector<Stage> stages = vgg_stages(weights, options.pool, height, width, deepest_loss_layer(options), batch);
    std::size_t convs = 0;
    for (const Stage& s : stages) convs += s.conv;
    weights_ = upload_weights(backend_, weights, convs);
    network_ = std::make_unique<VggNetwork>(backend_, weights_, std::move(stages));
    content_terms_ = make_terms(*network_, options.content_layers, options.content_weight);
    style_terms_ = make_terms(*network_, options.style_layers, options.style_weight);
    const std::size_t largest = std::max(network_->largest_output(), batch_size());
    grad_a_ = backend_.allocate(largest);
    grad_b_ = backend_.allocate(largest);
    const auto images = static_cast<std::size_t>(batch);
    content_values_ = backend_.allocate(images * content_terms_.size());
    style_values_ = backend_.allocate(images * style_terms_.size());
    sums_ = backend_.allocate(images * kLossSlots);
    backend_.fill(sums_.data(), sums_.size(), 0.0f);  // an image term's slot stays 0 without its weight
    image_terms_ = std::make_unique<ImageTerms>(backend_, options_, mean_.data(), width, height);
}

void Objective::set_content_targets(const float* content) {
    network_->forward(content);
    for (LossTerm& t : content_terms_) {
        t.target = backend_.allocate(network_->stage(t.stage).size());
        backend_.copy(network_->output(t.stage), t.target.data(), t.target.size());
    }
}

// Each style term's C x C target and the Gram scratch the largest needs.
void Objective::allocate_style_targets() {
    std::size_t largest_gram = 1;
    for (LossTerm& t : style_terms_) {
        const Stage& s = network_->stage(t.stage);
        t.target = backend_.allocate(std::size_t(s.channels) * s.channels);
        largest_gram = std::max(largest_gram, t.target.size());
    }
    gram_scratch_ = backend_.allocate(largest_gram);
}

void Objective::set_style_targets(const VggWeights& weights, const std::vector<StyleImage>& styles) {
    const std::vector<double> shares = style_shares(styles);
    allocate_style_targets();
    for (LossTerm& t : style_terms_) backend_.fill(t.target.data(), t.target.size(), 0.0f);
    for (std::size_t i = 0; i < styles.size(); ++i)
        if (shares[i] > 0) add_style_image(weights, styles[i], shares[i]);
    if (options_.normalize_style_layers) normalize_style_layers();
}

// Adds share · (pixel-count ratio) · the Gram matrices of one style image, at its own size, to the targets.
void Objective::add_style_image(const VggWeights& weights, const StyleImage& style, double share) {
    int sw = 0, sh = 0;
    style_image_size(options_, width_, height_, style.image, &sw, &sh);
    const Image sized = resize_image(style.image, sw, sh);
    Buffer input = backend_.allocate(std::size_t(3) * sw * sh);
    backend_.image_to_tensor(sized.rgb.data(), sh, sw, mean_.data(), input.data());
    // A network of the style image's own size when it differs from the output's.
    std::unique_ptr<VggNetwork> other;
    VggNetwork* net = network_.get();
    if (sw != width_ || sh != height_ || batch_ > 1) {
        other = std::make_unique<VggNetwork>(backend_, weights_,
                                             vgg_stages(weights, options_.pool, sh, sw, deepest_loss_layer(options_)));
        net = other.get();
    }
    net->forward(input.data());
    for (LossTerm& t : style_terms_) {
        const Stage& out = network_->stage(t.stage);
        const Stage& s = net->stage(t.stage);
        const std::int64_t pixels = std::int64_t(s.height) * s.width;
        backend_.gram(net->output(t.stage), s.channels, pixels, gram_scratch_.data());
        const double per_pixel = double(out.height) * out.width / static_cast<double>(pixels);
        backend_.axpy(static_cast<float>(share * per_pixel), gram_scratch_.data(), t.target.data(), t.target.size());
    }
    backend_.synchronize();  // the style network and input are freed on return
}

// Each style term's weight times 4N²M² / ΣA² (TransferOptions::normalize_style_layers); ΣA² is read once.
void Objective::normalize_style_layers() {
    Buffer out = backend_.allocate(1);
    for (LossTerm& t : style_terms_) {
        float norm2 = 0.0f;
        backend_.dot(t.target.data(), t.target.data(), t.target.size(), out.data());
        backend_.download(out.data(), &norm2, 1);
        const Stage& s = network_->stage(t.stage);
        t.weight = normalized_style_weight(t.weight, s.channels, double(s.height) * s.width, norm2);
    }
}

// The terms at `stage` into their slots, their gradients into `gradient` (set by the stage's first term
// unless `started`, added by the others: the deepest stage always carries a term). Image by image: each has
// its own slice of the features, gradient, content targets and slots; the style targets are shared.
void Objective::add_terms_at(int stage, float* gradient, bool started) {
    const Stage& s = network_->stage(stage);
    const std::int64_t pixels = std::int64_t(s.height) * s.width;
    const std::size_t per_image = s.per_image();
    for (int b = 0; b < batch_; ++b) {
        const std::size_t at = static_cast<std::size_t>(b) * per_image;
        float* features = network_->output(stage) + at;
        bool accumulate = started;
        for (std::size_t i = 0; i < content_terms_.size(); ++i) {
            const LossTerm& t = content_terms_[i];
            if (t.stage != stage) continue;
            backend_.content_loss(features, t.target.data() + at, s.channels, pixels, t.weight,
                                  content_values_.data() + b * content_terms_.size() + i, gradient + at, accumulate);
            accumulate = true;
        }
        for (std::size_t i = 0; i < style_terms_.size(); ++i) {
            const LossTerm& t = style_terms_[i];
            if (t.stage != stage) continue;
            backend_.style_loss(features, s.channels, pixels, t.target.data(), gram_scratch_.data(), t.weight,
                                style_values_.data() + b * style_terms_.size() + i, gradient + at, accumulate);
            accumulate = true;
        }
    }
}

namespace {

bool has_term_at(const std::vector<LossTerm>& terms, int stage) {
    return std::any_of(terms.begin(), terms.end(), [stage](const LossTerm& t) { return t.stage == stage; });
}

}  // namespace

float* Objective::evaluate(const float* x, bool gradient) {
    network_->forward(x);
    float* g = grad_a_.data();
    float* other = grad_b_.data();
    bool started = false;
    // The network ends at the deepest loss layer, so the backward pass starts there.
    for (int k = network_->stage_count() - 1; k >= 0; --k) {
        add_terms_at(k, g, started);
        started = started || has_term_at(content_terms_, k) || has_term_at(style_terms_, k);
        if (!gradient) continue;
        network_->backward_stage(k, k > 0 ? network_->output(k - 1) : x, g, other);
        std::swap(g, other);
    }
    sum_losses(x, g);
    return g;
}

// Each image's loss slots: the layer terms' values summed, the image terms (on the image itself; their
// gradients added to dL/dx), and the total. (The temporal term has one image: check_batch_fits.)
void Objective::sum_losses(const float* x, float* gradient) {
    const std::size_t nc = content_terms_.size(), ns = style_terms_.size();
    for (int b = 0; b < batch_; ++b) {
        const std::size_t at = static_cast<std::size_t>(b) * image_size();
        float* sums = sums_.data() + static_cast<std::size_t>(b) * kLossSlots;
        image_terms_->evaluate(x + at, sums, gradient + at);
        backend_.sum(content_values_.data() + b * nc, nc, sums + loss_slot("content"));
        backend_.sum(style_values_.data() + b * ns, ns, sums + loss_slot("style"));
        sum_loss_slots(backend_, sums);
    }
}

Losses ObjectiveBase::read_losses() {
    return add_losses(read_batch_losses());
}

std::vector<Losses> Objective::read_batch_losses() {
    return read_loss_slots(backend_, sums_.data(), batch_);
}

std::vector<StyleTargets::Layer> download_style_terms(OpBackend& backend, const std::vector<const LossTerm*>& terms) {
    std::vector<StyleTargets::Layer> layers;
    for (const LossTerm* t : terms) {
        StyleTargets::Layer l{t->layer, t->weight, std::vector<float>(t->target.size())};
        backend.download(t->target.data(), l.gram.data(), l.gram.size());
        layers.push_back(std::move(l));
    }
    return layers;
}

void upload_style_terms(OpBackend& backend, const std::vector<StyleTargets::Layer>& layers,
                        const std::vector<LossTerm*>& terms) {
    if (layers.size() != terms.size()) throw Error("style targets for a different list of style layers");
    for (std::size_t i = 0; i < terms.size(); ++i) {
        LossTerm& t = *terms[i];
        if (layers[i].layer != t.layer || layers[i].gram.size() != t.target.size())
            throw Error("style targets for layer " + layers[i].layer + " (" + std::to_string(layers[i].gram.size()) +
                        " values) do not fit layer " + t.layer + " (" + std::to_string(t.target.size()) + ")");
        backend.upload(layers[i].gram.data(), t.target.data(), t.target.size());
        t.weight = layers[i].weight;
    }
}

std::vector<StyleTargets::Layer> Objective::export_style_targets() {
    std::vector<const LossTerm*> terms;
    for (const LossTerm& t : style_terms_) terms.push_back(&t);
    return download_style_terms(backend_, terms);
}

void Objective::import_style_targets(const std::vector<StyleTargets::Layer>& layers) {
    allocate_style_targets();
    std::vector<LossTerm*> terms;
    for (LossTerm& t : style_terms_) terms.push_back(&t);
    upload_style_terms(backend_, layers, terms);
}

}  // namespace nst
