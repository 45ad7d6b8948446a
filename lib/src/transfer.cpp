// The style-transfer engine: the options checked, the memory estimated, then an objective (the network with
// its targets: objective.cpp), the image, and an optimiser (optimizer.hpp). Every buffer is allocated in
// the constructor; the loop only calls backend ops.
#include "nst/transfer.hpp"

#include <cmath>
#include <cstdio>

#include "nst/error.hpp"
#include "memory_counter.hpp"
#include "objective.hpp"
#include "optimizer.hpp"
#include "tiled_objective.hpp"
#include "tiling.hpp"

namespace nst {


namespace {

// The objective the plan asks for: whole, or tile by tile.
std::unique_ptr<ObjectiveBase> make_objective(Backend& b, const VggWeights& w, const TransferOptions& o,
                                              const TransferPlan& plan, int width, int height,
                                              const std::vector<StyleImage>& styles) {
    if (!plan.tiled) return std::make_unique<Objective>(b, w, o, width, height);
    return std::make_unique<TiledObjective>(b, w, o, plan_tiles(width, height, plan.tile, plan.halo), styles,
                                            plan.kept_tiles);
}

}  // namespace

struct StyleTransfer::Impl {
    Backend& backend;
    TransferOptions options;
    TransferPlan plan;
    std::array<float, 3> mean;
    std::unique_ptr<ObjectiveBase> objective_owner;
    ObjectiveBase& objective;
    Buffer x;  // the image, 1 x 3 x H x W, mean-subtracted
    std::unique_ptr<Optimizer> optimizer;

    Impl(Backend& b, const VggWeights& w, const Image& content, const std::vector<StyleImage>& styles,
         const TransferOptions& o)
        : backend(b),
          options(o),
          plan(check_transfer_fits(b, w, o, content.width, content.height, styles)),
          mean(w.mean_rgb),
          objective_owner(make_objective(b, w, options, plan, content.width, content.height, styles)),
          objective(*objective_owner),
          x(b.allocate(objective.image_size())) {
        Buffer content_x = backend.allocate(objective.image_size());
        backend.image_to_tensor(content.rgb.data(), content.height, content.width, mean.data(), content_x.data());
        objective.set_content_targets(content_x.data());
        objective.set_style_targets(w, styles);
        initialise_image(content_x.data(), styles);
        optimizer = make_optimizer(backend, objective.image_size(), options);
        backend.synchronize();  // the content tensor is freed on return
    }

    void initialise_image(const float* content_x, const std::vector<StyleImage>& styles) {
        const int w = objective.width(), h = objective.height();
        switch (options.init) {
            case InitKind::Content:
                backend.copy(content_x, x.data(), objective.image_size());
                break;
            case InitKind::Noise:
                backend.noise_init(content_x, objective.image_size(), options.seed, options.noise_ratio, x.data());
                break;
            case InitKind::Style:
            case InitKind::Image: {
                const Image& source = options.init == InitKind::Style ? styles.front().image : options.init_image;
                const Image init = resize_image(source, w, h);
                backend.image_to_tensor(init.rgb.data(), h, w, mean.data(), x.data());
                break;
            }
        }
    }

    Image read_image() const {
        Image image;
        image.width = objective.width();
        image.height = objective.height();
        image.rgb.resize(objective.image_size());
        backend.tensor_to_image(x.data(), image.height, image.width, mean.data(), image.rgb.data());
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
    return impl_->objective.width();
}
int StyleTransfer::height() const noexcept {
    return impl_->objective.height();
}
Backend& StyleTransfer::backend() noexcept {
    return impl_->backend;
}
Image StyleTransfer::image() const {
    return impl_->read_image();
}
const TransferPlan& StyleTransfer::plan() const noexcept {
    return impl_->plan;
}
void StyleTransfer::on_tile(std::function<void(int pass, int tile, int tiles)> observer) {
    if (auto* tiled = dynamic_cast<TiledObjective*>(impl_->objective_owner.get())) tiled->set_observer(std::move(observer));
}

const Losses& StyleTransfer::Iteration::losses() {
    if (!have_losses_) {
        losses_ = owner_.impl_->objective.read_losses();
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
    if (x.size() != s.objective.image_size())
        throw Error("loss_and_gradient: " + std::to_string(x.size()) + " values for a 3x" +
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
