// The style-transfer engine: targets from the content and style images, then a loop of forward pass,
// losses (accumulated into the backward pass at their layers), backward pass to the image, and an
// optimiser step. Every buffer is allocated in the constructor; the loop only calls backend ops.
#include "nst/transfer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "nst/error.hpp"
#include "vgg_network.hpp"

namespace nst {

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

std::string canonical_layer(const std::string& name) {
    vgg19_layer_position(name);  // throws for an unknown name
    if (name.compare(0, 4, "conv") == 0) return "relu" + name.substr(4);
    return name;
}

namespace {

struct LossTerm {
    int stage = 0;
    float weight = 0.0f;  // the overall weight times the layer's
    Buffer target;        // content: the features P; style: the Gram matrix A
};

void check_weights(const std::vector<LayerWeight>& layers, const char* what) {
    for (const LayerWeight& l : layers)
        if (!std::isfinite(l.weight) || l.weight < 0)
            throw Error(std::string(what) + " layer " + l.layer + ": weight " + std::to_string(l.weight) +
                        " (must be a finite number >= 0)");
}

// The deepest loss layer (canonical name).
std::string deepest_layer(const TransferOptions& o) {
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

std::string gib(std::size_t bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f GiB", static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0));
    return text;
}

}  // namespace

std::size_t estimate_transfer_memory(const VggWeights& weights, const TransferOptions& o, int width, int height) {
    const std::vector<Stage> stages = vgg_stages(weights, o.pool, height, width, deepest_layer(o));
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

struct StyleTransfer::Impl {
    Backend& backend;
    TransferOptions options;
    int width, height;
    std::array<float, 3> mean;
    DeviceWeights weights;
    std::unique_ptr<VggNetwork> network;
    std::vector<LossTerm> content_terms, style_terms;
    Buffer gram_scratch;
    Buffer grad_a, grad_b;
    Buffer x, m, v;  // the image; Adam's moments (Adam only)
    Buffer slots;    // [content terms..., style terms..., tv, content, style, total]
    int steps = 0;
    // L-BFGS: the last `history` steps s and gradient changes y, the previous gradient, the direction, and
    // scalars [yᵀs per pair..., alpha per pair..., gamma, tmp, tmp2].
    std::vector<Buffer> lbfgs_s, lbfgs_y;
    Buffer g_prev, direction, scalars;
    int pairs = 0, newest = -1;

    int history() const { return options.lbfgs.history; }
    float* ys(int i) { return scalars.data() + i; }
    float* alpha(int i) { return scalars.data() + history() + i; }
    float* gamma() { return scalars.data() + 2 * history(); }
    float* tmp() { return scalars.data() + 2 * history() + 1; }
    float* tmp2() { return scalars.data() + 2 * history() + 2; }

    std::size_t image_size() const { return std::size_t(3) * width * height; }
    std::size_t nc() const { return content_terms.size(); }
    std::size_t ns() const { return style_terms.size(); }
    float* slot(std::size_t i) { return slots.data() + i; }
    float* tv_slot() { return slot(nc() + ns()); }

    Impl(Backend& b, const VggWeights& w, const Image& content, const std::vector<StyleImage>& styles,
         const TransferOptions& o)
        : backend(b), options(o), width(content.width), height(content.height), mean(w.mean_rgb) {
        if (o.iterations < 0) throw Error("iterations " + std::to_string(o.iterations) + " (must be >= 0)");
        for (float v : {o.content_weight, o.style_weight, o.tv_weight})
            if (!std::isfinite(v) || v < 0)
                throw Error("loss weight " + std::to_string(v) + " (must be a finite number >= 0)");
        const float lr = o.optimizer == OptimizerKind::Lbfgs ? o.lbfgs.lr : o.adam.lr;
        if (!std::isfinite(lr) || lr <= 0) throw Error("learning rate " + std::to_string(lr) + " (must be > 0)");
        if (!std::isfinite(o.style_scale) || o.style_scale < 0 || o.style_scale > 16)
            throw Error("style scale " + std::to_string(o.style_scale) + " (must be 0 to 16)");
        if (!(o.noise_ratio >= 0 && o.noise_ratio <= 1))
            throw Error("noise ratio " + std::to_string(o.noise_ratio) + " (must be 0 to 1)");
        check_weights(o.content_layers, "content");
        check_weights(o.style_layers, "style");
        if (content.width < 1 || content.height < 1) throw Error("the content image is empty");

        const std::size_t need = estimate_transfer_memory(w, o, width, height);
        const std::size_t have = backend.available_memory();
        if (need > have)
            throw Error("a " + std::to_string(width) + "x" + std::to_string(height) + " transfer needs about " +
                        gib(need) + " (estimate), more than the " + gib(have) + " available on the " +
                        to_string(backend.device()) + " backend; use a smaller --size");

        weights = upload_weights(backend, w);
        network =
            std::make_unique<VggNetwork>(backend, weights, vgg_stages(w, o.pool, height, width, deepest_layer(o)));
        const std::size_t largest = std::max(network->largest_output(), image_size());
        grad_a = backend.allocate(largest);
        grad_b = backend.allocate(largest);
        x = backend.allocate(image_size());

        // Targets: content features, then the style image's Gram matrices (the image resized to the output).
        Buffer input = backend.allocate(image_size());
        backend.image_to_tensor(content.rgb.data(), height, width, mean.data(), input.data());
        network->forward(input.data());
        for (const LayerWeight& l : o.content_layers) {
            LossTerm t;
            t.stage = network->find(canonical_layer(l.layer));
            t.weight = o.content_weight * l.weight;
            t.target = backend.allocate(network->stage(t.stage).size());
            backend.copy(network->output(t.stage), t.target.data(), t.target.size());
            content_terms.push_back(std::move(t));
        }
        // Style targets: each style image's Gram matrices at its size, rescaled to the output's pixel count
        // and blended by the images' shares.
        double share_sum = 0.0;
        for (const StyleImage& st : styles) {
            if (!std::isfinite(st.weight) || st.weight < 0)
                throw Error("style blend weight " + std::to_string(st.weight) + " (must be a finite number >= 0)");
            share_sum += st.weight;
        }
        if (styles.empty() || !(share_sum > 0)) throw Error("no style image with a blend weight above 0");
        std::size_t largest_gram = 1;
        for (const LayerWeight& l : o.style_layers) {
            LossTerm t;
            t.stage = network->find(canonical_layer(l.layer));
            t.weight = o.style_weight * l.weight;
            const Stage& s = network->stage(t.stage);
            t.target = backend.allocate(std::size_t(s.channels) * s.channels);
            backend.fill(t.target.data(), t.target.size(), 0.0f);
            largest_gram = std::max(largest_gram, t.target.size());
            style_terms.push_back(std::move(t));
        }
        gram_scratch = backend.allocate(largest_gram);
        for (const StyleImage& st : styles) {
            if (st.weight == 0) continue;
            int sw = width, sh = height;
            if (o.style_scale > 0) {
                const int longest = std::max(1, static_cast<int>(std::lround(o.style_scale * std::max(width, height))));
                fit_longest_side(st.image.width, st.image.height, longest, &sw, &sh);
            }
            const Image sized = resize_image(st.image, sw, sh);
            Buffer style_input = backend.allocate(std::size_t(3) * sw * sh);
            backend.image_to_tensor(sized.rgb.data(), sh, sw, mean.data(), style_input.data());
            // A network of the style image's own size when it differs from the output's.
            std::unique_ptr<VggNetwork> other;
            VggNetwork* net = network.get();
            if (sw != width || sh != height) {
                other = std::make_unique<VggNetwork>(backend, weights, vgg_stages(w, o.pool, sh, sw, deepest_layer(o)));
                net = other.get();
            }
            net->forward(style_input.data());
            for (LossTerm& t : style_terms) {
                const Stage& out = network->stage(t.stage);
                const Stage& s = net->stage(t.stage);
                const std::int64_t pixels = std::int64_t(s.height) * s.width;
                backend.gram(net->output(t.stage), s.channels, pixels, gram_scratch.data());
                const double per_pixel = double(out.height) * out.width / static_cast<double>(pixels);
                backend.axpy(static_cast<float>(st.weight / share_sum * per_pixel), gram_scratch.data(),
                             t.target.data(), t.target.size());
            }
            backend.synchronize();  // the style network and input are freed here
        }
        if (o.normalize_style_layers)
            for (LossTerm& t : style_terms) {
                float norm2 = 0.0f;  // ΣA², read once at setup
                Buffer out = backend.allocate(1);
                backend.dot(t.target.data(), t.target.data(), t.target.size(), out.data());
                backend.download(out.data(), &norm2, 1);
                const Stage& s = network->stage(t.stage);
                const double n = s.channels, m2 = double(s.height) * s.width;
                if (norm2 > 0) t.weight = static_cast<float>(t.weight * 4.0 * n * n * m2 * m2 / norm2);
            }
        slots = backend.allocate(nc() + ns() + 4);
        backend.fill(slots.data(), slots.size(), 0.0f);

        // The initial image.
        switch (o.init) {
            case InitKind::Content:
                backend.copy(input.data(), x.data(), image_size());
                break;
            case InitKind::Noise:
                backend.noise_init(input.data(), image_size(), o.seed, o.noise_ratio, x.data());
                break;
            case InitKind::Style:
            case InitKind::Image: {
                const Image& source = o.init == InitKind::Style ? styles.front().image : o.init_image;
                const Image init = resize_image(source, width, height);
                backend.image_to_tensor(init.rgb.data(), height, width, mean.data(), x.data());
                break;
            }
        }
        if (o.optimizer == OptimizerKind::Lbfgs) {
            if (o.lbfgs.history < 1 || o.lbfgs.history > 1000)
                throw Error("L-BFGS history " + std::to_string(o.lbfgs.history) + " (must be 1 to 1000)");
            for (int i = 0; i < o.lbfgs.history; ++i) {
                lbfgs_s.push_back(backend.allocate(image_size()));
                lbfgs_y.push_back(backend.allocate(image_size()));
            }
            g_prev = backend.allocate(image_size());
            direction = backend.allocate(image_size());
            scalars = backend.allocate(std::size_t(2 * o.lbfgs.history) + 3);
            backend.fill(scalars.data(), scalars.size(), 0.0f);
            backend.fill(gamma(), 1, 1.0f);  // H0 = I until a curvature pair says otherwise
        }
        if (o.optimizer == OptimizerKind::Adam) {  // Adam's moments, zero before the first step
            m = backend.allocate(image_size());
            v = backend.allocate(image_size());
            backend.fill(m.data(), image_size(), 0.0f);
            backend.fill(v.data(), image_size(), 0.0f);
        }
        backend.synchronize();  // the temporary inputs are freed on return
    }

    // Forward, losses into the slots and, when `gradient`, dL/dx into the returned buffer.
    float* evaluate(bool gradient) {
        network->forward(x.data());
        // The network ends at the deepest loss layer (vgg_stages was cut there), so backward starts there.
        const int deepest = network->stage_count() - 1;
        float* g = grad_a.data();
        float* other = grad_b.data();
        // The deepest stage carries a loss, so the first loss there sets g and every later one adds to it.
        bool started = false;
        for (int k = deepest; k >= 0; --k) {
            const Stage& s = network->stage(k);
            const std::int64_t pixels = std::int64_t(s.height) * s.width;
            for (std::size_t i = 0; i < nc(); ++i) {
                const LossTerm& t = content_terms[i];
                if (t.stage != k) continue;
                backend.content_loss(network->output(k), t.target.data(), s.channels, pixels, t.weight, slot(i), g,
                                     started);
                started = true;
            }
            for (std::size_t i = 0; i < ns(); ++i) {
                const LossTerm& t = style_terms[i];
                if (t.stage != k) continue;
                backend.style_loss(network->output(k), s.channels, pixels, t.target.data(), gram_scratch.data(),
                                   t.weight, slot(nc() + i), g, started);
                started = true;
            }
            if (!gradient) continue;
            const float* input = k > 0 ? network->output(k - 1) : x.data();
            network->backward_stage(k, input, g, other);
            std::swap(g, other);
        }
        // Total variation acts on the image itself; its gradient is added to dL/dx.
        if (options.tv_weight > 0) backend.tv_loss(1, 3, height, width, x.data(), options.tv_weight, tv_slot(), g);
        // (otherwise the tv slot keeps the 0 it was filled with)
        const std::size_t base = nc() + ns();
        backend.sum(slot(0), nc(), slot(base + 1));
        backend.sum(slot(nc()), ns(), slot(base + 2));
        backend.sum(slot(base), 3, slot(base + 3));  // tv + content + style
        return g;
    }

    // One optimiser step from the gradient g of the current image.
    void optimizer_step(float* g) {
        if (options.optimizer == OptimizerKind::Adam) {
            backend.adam_step(x.data(), g, m.data(), v.data(), image_size(), ++steps, options.adam);
            return;
        }
        lbfgs_step(g);
        ++steps;
    }

    // L-BFGS without a line search (see LbfgsParams). Everything stays on the backend but the first
    // step's |g|₁, read once.
    void lbfgs_step(float* g) {
        const std::size_t n = image_size();
        const float lr = options.lbfgs.lr;
        constexpr float kMinCurvature = 1e-10f;
        if (newest < 0) {
            std::vector<float> host(n);
            backend.download(g, host.data(), n);
            double l1 = 0.0;
            for (float v : host) l1 += std::abs(v);
            const float t = static_cast<float>(std::min(1.0, l1 > 0 ? 1.0 / l1 : 1.0) * lr);
            newest = 0;
            backend.copy(g, lbfgs_s[0].data(), n);
            backend.scale(-t, lbfgs_s[0].data(), n);
        } else {
            // Complete the newest pair: y = g − g_prev; its yᵀs, and gamma = yᵀs / yᵀy when yᵀs is positive.
            float* y = lbfgs_y[static_cast<std::size_t>(newest)].data();
            backend.copy(g, y, n);
            backend.axpy(-1.0f, g_prev.data(), y, n);
            backend.dot(y, lbfgs_s[static_cast<std::size_t>(newest)].data(), n, ys(newest));
            backend.dot(y, y, n, tmp());
            backend.scalar_ratio(ys(newest), tmp(), kMinCurvature, -1.0f, gamma());
            pairs = std::min(pairs + 1, history());
            // Two-loop recursion: q = H g.
            float* q = direction.data();
            backend.copy(g, q, n);
            for (int j = 0; j < pairs; ++j) {
                const int i = (newest - j + history()) % history();
                backend.dot(lbfgs_s[static_cast<std::size_t>(i)].data(), q, n, tmp());
                backend.scalar_ratio(tmp(), ys(i), kMinCurvature, 0.0f, alpha(i));  // 0: a skipped pair
                backend.axpy_scalar(-1.0f, alpha(i), lbfgs_y[static_cast<std::size_t>(i)].data(), q, n);
            }
            backend.scale_scalar(gamma(), q, n);
            for (int j = pairs - 1; j >= 0; --j) {
                const int i = (newest - j + history()) % history();
                backend.dot(lbfgs_y[static_cast<std::size_t>(i)].data(), q, n, tmp());
                backend.scalar_ratio(tmp(), ys(i), kMinCurvature, 0.0f, tmp2());  // beta
                backend.scalar_subtract(alpha(i), tmp2(), tmp2());                // alpha − beta
                backend.axpy_scalar(1.0f, tmp2(), lbfgs_s[static_cast<std::size_t>(i)].data(), q, n);
            }
            // The step s = −lr · H g goes into the next slot (the oldest pair when the history is full).
            newest = (newest + 1) % history();
            backend.copy(q, lbfgs_s[static_cast<std::size_t>(newest)].data(), n);
            backend.scale(-lr, lbfgs_s[static_cast<std::size_t>(newest)].data(), n);
        }
        backend.copy(g, g_prev.data(), n);
        backend.axpy(1.0f, lbfgs_s[static_cast<std::size_t>(newest)].data(), x.data(), n);
    }

    Losses read_losses() {
        float values[4];
        backend.download(slot(nc() + ns()), values, 4);
        return Losses{values[3], values[1], values[2], values[0]};
    }

    Image read_image() const {
        Image image;
        image.width = width;
        image.height = height;
        image.rgb.resize(image_size());
        backend.tensor_to_image(x.data(), height, width, mean.data(), image.rgb.data());
        return image;
    }
};

StyleTransfer::StyleTransfer(Backend& backend, const VggWeights& weights, const Image& content,
                             const std::vector<StyleImage>& styles, const TransferOptions& options)
    : impl_(std::make_unique<Impl>(backend, weights, content, styles, options)) {}

StyleTransfer::StyleTransfer(Backend& backend, const VggWeights& weights, const Image& content, const Image& style,
                             const TransferOptions& options)
    : StyleTransfer(backend, weights, content, std::vector<StyleImage>{{style, 1.0f}}, options) {}

StyleTransfer::~StyleTransfer() = default;

int StyleTransfer::width() const noexcept {
    return impl_->width;
}
int StyleTransfer::height() const noexcept {
    return impl_->height;
}
Backend& StyleTransfer::backend() noexcept {
    return impl_->backend;
}
Image StyleTransfer::image() const {
    return impl_->read_image();
}

const Losses& StyleTransfer::Iteration::losses() {
    if (!have_losses_) {
        losses_ = owner_.impl_->read_losses();
        have_losses_ = true;
        for (float v : {losses_.total, losses_.content, losses_.style, losses_.tv})
            if (!std::isfinite(v))
                throw Error("the loss became " + std::string(std::isnan(v) ? "NaN" : "infinite") + " at iteration " +
                            std::to_string(index_) + " (content " + std::to_string(losses_.content) + ", style " +
                            std::to_string(losses_.style) + ", tv " + std::to_string(losses_.tv) +
                            "): lower the learning rate or the loss weights");
    }
    return losses_;
}

Image StyleTransfer::Iteration::image() const {
    return owner_.impl_->read_image();
}

int StyleTransfer::run(const Callback& callback) {
    Impl& s = *impl_;
    const int total = s.options.iterations;
    for (int i = 0;; ++i) {
        float* g = s.evaluate(i < total);
        Iteration it(*this, s.steps, total);
        if (callback && !callback(it)) return i;
        if (i == total) return total;
        s.optimizer_step(g);
    }
}

int StyleTransfer::step() {
    Impl& s = *impl_;
    s.optimizer_step(s.evaluate(true));
    return s.steps;
}

Losses StyleTransfer::loss_and_gradient(const std::vector<float>& x, std::vector<float>* gradient) {
    Impl& s = *impl_;
    if (x.size() != s.image_size())
        throw Error("loss_and_gradient: " + std::to_string(x.size()) + " values for a 3x" + std::to_string(s.height) +
                    "x" + std::to_string(s.width) + " image");
    s.backend.upload(x.data(), s.x.data(), x.size());
    float* g = s.evaluate(gradient != nullptr);
    if (gradient != nullptr) {
        gradient->resize(x.size());
        s.backend.download(g, gradient->data(), x.size());
    }
    return s.read_losses();
}

}  // namespace nst
