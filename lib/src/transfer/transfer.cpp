// The style-transfer engine: the options checked, the memory estimated, then an objective (the network with
// its targets: objective.cpp), the image, and an optimiser (optimizer.hpp). Every buffer is allocated in
// the constructor; the loop only calls backend ops.
#include "nst/transfer.hpp"

#include <cmath>
#include <cstdio>

#include "nst/error.hpp"
#include "core/memory_counter.hpp"
#include "transfer/objective.hpp"
#include "transfer/optimizer.hpp"
#include "transfer/tiled_objective.hpp"
#include "transfer/tiling.hpp"

namespace nst {


namespace {

// The objective the plan asks for: whole (for `batch` images), or tile by tile.
std::unique_ptr<ObjectiveBase> make_objective(OpBackend& b, const VggWeights& w, const TransferOptions& o,
                                              const TransferPlan& plan, int width, int height,
                                              const std::vector<StyleImage>& styles, int batch = 1) {
    if (!plan.tiled) return std::make_unique<Objective>(b, w, o, width, height, batch);
    return std::make_unique<TiledObjective>(b, w, o, plan_tiles(width, height, plan.tile, plan.halo), styles,
                                            plan.kept_tiles);
}

// The one size every image of a batch has; nst::Error when they differ or there are none.
const Image& batch_size_of(const std::vector<Image>& contents) {
    if (contents.empty()) throw Error("no content image");
    for (const Image& c : contents)
        if (c.width != contents.front().width || c.height != contents.front().height)
            throw Error("the images of a batch must have one size: " + std::to_string(contents.front().width) + "x" +
                        std::to_string(contents.front().height) + " and " + std::to_string(c.width) + "x" +
                        std::to_string(c.height));
    return contents.front();
}

// nst::Error naming the iteration and the reported terms when the total or a term of `l` is not finite.
void check_finite(const Losses& l, const TransferOptions& o, int iteration) {
    float bad = l.total;
    for (const LossTermSpec& t : kLossTerms)
        if (std::isfinite(bad)) bad = l.*t.value;
    if (std::isfinite(bad)) return;
    std::string terms;
    for (const LossColumn& c : loss_columns(o))
        terms += (terms.empty() ? "" : ", ") + std::string(c.name) + " " + std::to_string(l.*c.value);
    throw Error("the loss became " + std::string(std::isnan(bad) ? "NaN" : "infinite") + " at iteration " +
                std::to_string(iteration) + " (" + terms + "): lower the learning rate or the loss weights");
}

}  // namespace

StyleTargets compute_style_targets(Backend& backend, const VggWeights& weights, const TransferOptions& options,
                                   int width, int height, const std::vector<StyleImage>& styles) {
    const TransferPlan plan = check_transfer_fits(backend, weights, options, width, height, styles);
    const std::unique_ptr<ObjectiveBase> objective = make_objective(ops_of(backend), weights, options, plan, width, height, styles);
    objective->set_style_targets(weights, styles);
    StyleTargets targets;
    targets.width = width;
    targets.height = height;
    targets.layers = objective->export_style_targets();
    return targets;
}

struct StyleTransfer::Impl {
    OpBackend& backend;
    TransferOptions options;
    TransferPlan plan;
    std::array<float, 3> mean;
    std::unique_ptr<ObjectiveBase> objective_owner;
    ObjectiveBase& objective;
    Buffer x;  // the images, batch x 3 x H x W, mean-subtracted
    std::unique_ptr<Optimizer> optimizer;

    // The style's targets from `targets` when given, else computed from `styles`.
    Impl(OpBackend& b, const VggWeights& w, const std::vector<Image>& contents, const std::vector<StyleImage>& styles,
         const StyleTargets* targets, const TransferOptions& o)
        : backend(b),
          options(o),
          plan(check_batch_fits(b, w, o, batch_size_of(contents).width, batch_size_of(contents).height,
                                static_cast<int>(contents.size()), styles)),
          mean(w.mean_rgb),
          objective_owner(make_objective(b, w, options, plan, contents.front().width, contents.front().height, styles,
                                         static_cast<int>(contents.size()))),
          objective(*objective_owner),
          x(b.allocate(objective.batch_size())) {
        Buffer content_x = backend.allocate(objective.batch_size());
        for (std::size_t i = 0; i < contents.size(); ++i)
            backend.image_to_tensor(contents[i].rgb.data(), objective.height(), objective.width(), mean.data(),
                                    content_x.data() + i * objective.image_size());
        objective.set_content_targets(content_x.data());
        if (targets != nullptr) {
            if (targets->width != objective.width() || targets->height != objective.height())
                throw Error("style targets computed for " + std::to_string(targets->width) + "x" +
                            std::to_string(targets->height) + ", used for " + std::to_string(objective.width()) + "x" +
                            std::to_string(objective.height()));
            objective.import_style_targets(targets->layers);
        } else {
            objective.set_style_targets(w, styles);
        }
        for (int i = 0; i < objective.batch(); ++i) initialise_image(content_x.data(), styles, i);
        optimizer = make_optimizer(backend, objective.batch_size(), options);
        backend.synchronize();  // the content tensor is freed on return
    }

    // Image `index`'s starting point (every image of a batch as it would start alone).
    void initialise_image(const float* content_x, const std::vector<StyleImage>& styles, int index) {
        const int w = objective.width(), h = objective.height();
        const std::size_t n = objective.image_size(), at = static_cast<std::size_t>(index) * n;
        switch (options.init) {
            case InitKind::Content:
                backend.copy(content_x + at, x.data() + at, n);
                break;
            case InitKind::Noise:
                backend.noise_init(content_x + at, n, options.seed, options.noise_ratio, x.data() + at);
                break;
            case InitKind::Style:
            case InitKind::Image: {
                if (index > 0) {  // the same picture for every image: the first one's, copied
                    backend.copy(x.data(), x.data() + at, n);
                    break;
                }
                if (options.init == InitKind::Style && styles.empty())
                    throw Error("init 'style' needs the style images; with precomputed style targets, start from "
                                "the style image as init 'image'");
                const Image& source = options.init == InitKind::Style ? styles.front().image : options.init_image;
                const Image init = resize_image(source, w, h);
                backend.image_to_tensor(init.rgb.data(), h, w, mean.data(), x.data() + at);
                break;
            }
        }
    }

    Image read_image(int index) const {
        if (index < 0 || index >= objective.batch())
            throw Error("image " + std::to_string(index) + " of a batch of " + std::to_string(objective.batch()));
        Image image;
        image.width = objective.width();
        image.height = objective.height();
        image.rgb.resize(objective.image_size());
        backend.tensor_to_image(x.data() + static_cast<std::size_t>(index) * objective.image_size(), image.height,
                                image.width, mean.data(), image.rgb.data());
        return image;
    }
};

StyleTransfer::StyleTransfer(Backend& backend, const VggWeights& weights, const Image& content,
                             const std::vector<StyleImage>& styles, const TransferOptions& options)
    : impl_(std::make_unique<Impl>(ops_of(backend), weights, std::vector<Image>{content}, styles, nullptr, options)) {}

StyleTransfer::StyleTransfer(Backend& backend, const VggWeights& weights, const std::vector<Image>& contents,
                             const StyleTargets& style, const TransferOptions& options)
    : impl_(std::make_unique<Impl>(ops_of(backend), weights, contents, std::vector<StyleImage>{}, &style, options)) {}

StyleTransfer::StyleTransfer(Backend& backend, const VggWeights& weights, const Image& content, const Image& style,
                             const TransferOptions& options)
    : StyleTransfer(backend, weights, content, std::vector<StyleImage>{{style, 1.0f}}, options) {}

StyleTransfer::~StyleTransfer() = default;

int StyleTransfer::width() const noexcept {
    return impl_->objective.width();
}
int StyleTransfer::height() const noexcept {
    return impl_->objective.height();
}
Backend& StyleTransfer::backend() noexcept {
    return impl_->backend;
}
Image StyleTransfer::image(int index) const {
    return impl_->read_image(index);
}
int StyleTransfer::batch() const noexcept {
    return impl_->objective.batch();
}
const TransferOptions& StyleTransfer::options() const noexcept {
    return impl_->options;
}
const TransferPlan& StyleTransfer::plan() const noexcept {
    return impl_->plan;
}
void StyleTransfer::on_tile(std::function<void(int pass, int tile, int tiles)> observer) {
    if (auto* tiled = dynamic_cast<TiledObjective*>(impl_->objective_owner.get())) tiled->set_observer(std::move(observer));
}

const std::vector<Losses>& StyleTransfer::Iteration::batch_losses() {
    if (!have_losses_) {
        batch_losses_ = owner_.impl_->objective.read_batch_losses();
        for (const Losses& l : batch_losses_) check_finite(l, owner_.impl_->options, index_);
        losses_ = add_losses(batch_losses_);
        have_losses_ = true;
    }
    return batch_losses_;
}

const Losses& StyleTransfer::Iteration::losses() {
    batch_losses();
    return losses_;
}

Image StyleTransfer::Iteration::image(int index) const {
    return owner_.impl_->read_image(index);
}

int StyleTransfer::run(const Callback& callback) {
    Impl& s = *impl_;
    const int total = s.options.iterations;
    for (int i = 0;; ++i) {
        const float* g = s.objective.evaluate(s.x.data(), i < total);
        Iteration it(*this, s.optimizer->steps(), total);
        if (callback && !callback(it)) return i;
        if (i == total) return total;
        s.optimizer->step(s.x.data(), g);
    }
}

int StyleTransfer::step() {
    Impl& s = *impl_;
    s.optimizer->step(s.x.data(), s.objective.evaluate(s.x.data(), true));
    return s.optimizer->steps();
}

Losses StyleTransfer::loss_and_gradient(const std::vector<float>& x, std::vector<float>* gradient) {
    Impl& s = *impl_;
    if (x.size() != s.objective.batch_size())
        throw Error("loss_and_gradient: " + std::to_string(x.size()) + " values for " + std::to_string(s.objective.batch()) + " 3x" +
                    std::to_string(s.objective.height()) + "x" + std::to_string(s.objective.width()) + " image");
    s.backend.upload(x.data(), s.x.data(), x.size());
    const float* g = s.objective.evaluate(s.x.data(), gradient != nullptr);
    if (gradient != nullptr) {
        gradient->resize(x.size());
        s.backend.download(g, gradient->data(), x.size());
    }
    return s.objective.read_losses();
}

}  // namespace nst
