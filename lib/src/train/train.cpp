// ResNetTrainer (nst/train.hpp): the network, its parameter arenas and the optimiser's state on a backend.
#include <algorithm>

#include "nst/error.hpp"
#include "nst/train.hpp"
#include "core/memory_counter.hpp"
#include "nst/device.hpp"
#include "core/option_checks.hpp"
#include "train/resnet_network.hpp"
#include "train/resnet_parameters.hpp"

namespace nst {

void validate_train_options(const TrainOptions& o) {
    check_range("epochs", o.epochs, 1, 100000);
    check_range("batch", o.batch, 1, 4096);
    check_positive("lr", o.lr);
    check_beta("momentum", o.momentum);
    check_beta("beta1", o.beta1);
    check_beta("beta2", o.beta2);
    check_positive("epsilon", o.epsilon);
    if (o.steps < 0) throw OptionError("steps", std::to_string(o.steps) + " (must be >= 0)");
}

TrainOptions notebook_train_options() {
    TrainOptions o;
    o.epochs = 5;
    o.batch = 64;
    o.optimizer = TrainOptimizer::Adam;
    o.lr = 1e-3f;
    o.beta1 = 0.9f;
    o.beta2 = 0.999f;
    o.epsilon = 1e-7f;
    return o;
}

std::size_t estimate_training_memory(Backend& backend, const ResNetConfig& config, const TrainOptions& o) {
    validate_train_options(o);
    const ResNetSpec spec = resnet50_spec(config, o.batch);
    const ParameterLayout layout(spec);
    const bool adam = o.optimizer == TrainOptimizer::Adam;
    const std::size_t moments = adam ? 2 : (o.momentum > 0.0f ? 1 : 0);
    const std::size_t image = std::size_t(3) * config.image_size * config.image_size;
    const std::size_t floats = (2 + moments) * layout.trainable_size() + layout.state_size() +
                               std::size_t(o.batch) * (image + 1) + 2 + ResNetNetwork::floats(spec);
    std::size_t workspace = 0;
    for (const ConvShape& s : resnet50_conv_shapes(config, o.batch)) workspace = std::max(workspace, ops_of(backend).conv_memory(s));
    return floats * sizeof(float) + workspace;
}

namespace {

const TrainOptions& checked(OpBackend& backend, const ResNetConfig& config, const TrainOptions& o) {
    const std::size_t need = estimate_training_memory(backend, config, o), have = backend.available_memory();
    if (need > have)
        throw Error("training ResNet-50 at batch " + std::to_string(o.batch) + " needs about " + gib(need) +
                    " (estimate), more than the " + gib(have) + " available on the " + to_string(backend.device()) +
                    " backend; use a smaller batch");
    return o;
}

}  // namespace

struct ResNetTrainer::Impl {
    OpBackend& be;
    TrainOptions options;
    ResNetSpec spec;
    ParameterLayout layout;
    Buffer params, grads, state, moment1, moment2, images, labels, scalars;
    std::unique_ptr<ResNetNetwork> net;
    std::int64_t steps = 0;
    std::vector<float> host_images, host_labels;

    Impl(OpBackend& b, const ResNetConfig& config, const TrainOptions& o)
        : be(b), options(checked(b, config, o)), spec(resnet50_spec(config, o.batch)), layout(spec) {
        params = be.allocate(layout.trainable_size());
        grads = be.allocate(layout.trainable_size());
        state = be.allocate(layout.state_size());
        const bool adam = options.optimizer == TrainOptimizer::Adam;
        if (adam || options.momentum > 0.0f) moment1 = be.allocate(layout.trainable_size());
        if (adam) moment2 = be.allocate(layout.trainable_size());
        for (Buffer* m : {&moment1, &moment2})
            if (!m->empty()) be.fill(m->data(), m->size(), 0.0f);
        const std::size_t image = std::size_t(3) * config.image_size * config.image_size;
        images = be.allocate(std::size_t(options.batch) * image);
        labels = be.allocate(std::size_t(options.batch));
        scalars = be.allocate(2);
        host_images.resize(images.size());
        host_labels.resize(labels.size());
        std::vector<float> trainable, moving;
        initialize_parameters(layout, options.seed, trainable, moving);
        upload(trainable, moving);
        net = std::make_unique<ResNetNetwork>(be, spec, layout, params.data(), grads.data(), state.data());
        net->prepare(options.batch);
    }

    void upload(const std::vector<float>& trainable, const std::vector<float>& moving) {
        be.upload(trainable.data(), params.data(), trainable.size());
        be.upload(moving.data(), state.data(), moving.size());
    }

    void check_batch(const ImageSet& set, const std::vector<std::uint32_t>& order, std::size_t first, int count) const;
    void upload_batch(const ImageSet& set, const std::vector<std::uint32_t>& order, std::size_t first, int count);
    void update();
};

void ResNetTrainer::Impl::check_batch(const ImageSet& set, const std::vector<std::uint32_t>& order, std::size_t first,
                                      int count) const {
    if (set.size != spec.config.image_size)
        throw Error("images of " + std::to_string(set.size) + " px for a network built for " +
                    std::to_string(spec.config.image_size) + " px");
    if (count < 1 || count > options.batch || first + std::size_t(count) > order.size())
        throw Error("a batch of " + std::to_string(count) + " images from position " + std::to_string(first) + " of " +
                    std::to_string(order.size()) + " (batch size " + std::to_string(options.batch) + ")");
}

void ResNetTrainer::Impl::upload_batch(const ImageSet& set, const std::vector<std::uint32_t>& order, std::size_t first,
                                       int count) {
    check_batch(set, order, first, count);
    const std::size_t bytes = set.image_bytes();
    for (std::size_t k = 0; k < std::size_t(count); ++k) {
        const std::size_t i = order[first + k];
        if (i >= std::size_t(set.count)) throw Error("image index " + std::to_string(i) + " of a set of " + std::to_string(set.count));
        if (set.labels[i] >= spec.config.classes)
            throw Error("image " + std::to_string(i) + " of " + set.source + " has label " + std::to_string(set.labels[i]) +
                        " (the network has " + std::to_string(spec.config.classes) + " classes)");
        std::copy(set.pixels.begin() + std::ptrdiff_t(i * bytes), set.pixels.begin() + std::ptrdiff_t((i + 1) * bytes),
                  host_images.begin() + std::ptrdiff_t(k * bytes));
        host_labels[k] = static_cast<float>(set.labels[i]);
    }
    be.upload(host_images.data(), images.data(), std::size_t(count) * bytes);
    be.upload(host_labels.data(), labels.data(), std::size_t(count));
}

void ResNetTrainer::Impl::update() {
    ++steps;
    const std::size_t n = params.size();
    if (options.optimizer == TrainOptimizer::Sgd) {
        be.sgd_step(params.data(), grads.data(), moment1.empty() ? nullptr : moment1.data(), n, options.lr, options.momentum);
        return;
    }
    const AdamParams adam{options.lr, options.beta1, options.beta2, options.epsilon, AdamFlavor::TensorFlow1};
    be.adam_step(params.data(), grads.data(), moment1.data(), moment2.data(), n, static_cast<int>(steps), adam);
}

ResNetTrainer::ResNetTrainer(Backend& backend, const ResNetConfig& config, const TrainOptions& options)
    : impl_(std::make_unique<Impl>(ops_of(backend), config, options)) {}

ResNetTrainer::~ResNetTrainer() = default;

const ResNetSpec& ResNetTrainer::spec() const {
    return impl_->spec;
}
const TrainOptions& ResNetTrainer::options() const {
    return impl_->options;
}
Backend& ResNetTrainer::backend() const {
    return impl_->be;
}
std::int64_t ResNetTrainer::steps_done() const {
    return impl_->steps;
}

void ResNetTrainer::prepare(int count) {
    impl_->net->prepare(count);
}

StepResult ResNetTrainer::train_step(const ImageSet& set, const std::vector<std::uint32_t>& order, std::size_t first,
                                     int count) {
    impl_->upload_batch(set, order, first, count);
    train_step_in_place(count);
    float host[2] = {0.0f, 0.0f};
    impl_->be.download(impl_->scalars.data(), host, 2);
    return {host[0], host[1] / static_cast<float>(count)};
}

void ResNetTrainer::train_step_in_place(int count) {
    Impl& m = *impl_;
    m.net->forward(m.images.data(), count, true);
    m.net->loss(m.labels.data(), count, m.scalars.data());
    m.net->backward(m.images.data(), count);
    m.update();
}

Evaluation ResNetTrainer::evaluate(const ImageSet& set) {
    Impl& m = *impl_;
    Evaluation e;
    std::vector<std::uint32_t> order(std::size_t(set.count));
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::uint32_t>(i);
    double loss = 0.0, correct = 0.0;
    for (std::size_t first = 0; first < order.size(); first += std::size_t(m.options.batch)) {
        const int count = static_cast<int>(std::min<std::size_t>(std::size_t(m.options.batch), order.size() - first));
        m.upload_batch(set, order, first, count);
        m.net->forward(m.images.data(), count, false);
        m.net->loss(m.labels.data(), count, m.scalars.data());
        float host[2] = {0.0f, 0.0f};
        m.be.download(m.scalars.data(), host, 2);
        loss += double(host[0]) * count;
        correct += host[1];
    }
    e.images = set.count;
    if (set.count > 0) {
        e.loss = loss / set.count;
        e.accuracy = correct / set.count;
    }
    return e;
}

float ResNetTrainer::loss_and_gradients(const ImageSet& set, const std::vector<std::uint32_t>& order, std::size_t first,
                                        int count, std::vector<float>* gradients) {
    Impl& m = *impl_;
    m.upload_batch(set, order, first, count);
    m.net->forward(m.images.data(), count, true);
    m.net->loss(m.labels.data(), count, m.scalars.data());
    m.net->backward(m.images.data(), count);
    float loss = 0.0f;
    m.be.download(m.scalars.data(), &loss, 1);
    if (gradients != nullptr) {
        gradients->resize(m.grads.size());
        m.be.download(m.grads.data(), gradients->data(), gradients->size());
    }
    return loss;
}

std::vector<float> ResNetTrainer::trainable_parameters() const {
    std::vector<float> v(impl_->params.size());
    impl_->be.download(impl_->params.data(), v.data(), v.size());
    return v;
}

void ResNetTrainer::set_trainable_parameters(const std::vector<float>& values) {
    if (values.size() != impl_->params.size())
        throw Error("set_trainable_parameters: " + std::to_string(values.size()) + " values for " +
                    std::to_string(impl_->params.size()) + " parameters");
    impl_->be.upload(values.data(), impl_->params.data(), values.size());
}

std::vector<float> ResNetTrainer::moving_statistics() const {
    std::vector<float> v(impl_->state.size());
    impl_->be.download(impl_->state.data(), v.data(), v.size());
    return v;
}

std::vector<ResNetTrainer::TensorInfo> ResNetTrainer::tensors() const {
    std::vector<TensorInfo> out;
    for (const ParamTensor& t : impl_->layout.tensors()) out.push_back({t.name, t.trainable(), t.offset, t.size});
    return out;
}

void ResNetTrainer::load_weights(const std::string& path) {
    std::vector<float> trainable, moving;
    load_parameters(path, impl_->layout, trainable, moving);
    impl_->upload(trainable, moving);
}

void ResNetTrainer::save_weights(const std::string& path) const {
    save_parameters(path, impl_->layout, trainable_parameters(), moving_statistics());
}

}  // namespace nst
