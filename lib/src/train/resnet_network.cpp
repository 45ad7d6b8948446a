// ResNet-50's forward and backward passes on the op interface (resnet_network.hpp).
#include "train/resnet_network.hpp"

#include <algorithm>
#include <utility>
#include <vector>

namespace nst {

namespace {

// A convolution with its batch normalisation (and ReLU), the activations it keeps for the backward.
struct ConvBnLayer {
    ConvShape shape;  // at the largest batch
    BatchNormParams params;
    const float *w, *b, *gamma, *beta;
    float *dw, *db, *dgamma, *dbeta, *moving_mean, *moving_var;
    Buffer conv_out, out, saved_mean, saved_inv_std;

    ConvBnLayer(OpBackend& be, const ConvBnSpec& spec, const ParameterLayout& layout, float* params, float* grads,
                float* state)
        : shape(spec.conv) {
        this->params.relu = spec.relu;
        const ConvBnOffsets o = layout.conv_bn(spec.name);
        w = params + o.kernel, b = params + o.bias, gamma = params + o.gamma, beta = params + o.beta;
        dw = grads + o.kernel, db = grads + o.bias, dgamma = grads + o.gamma, dbeta = grads + o.beta;
        moving_mean = state + o.moving_mean, moving_var = state + o.moving_variance;
        conv_out = be.allocate(shape.out_size());
        out = be.allocate(shape.out_size());
        saved_mean = be.allocate(std::size_t(shape.out_channels));
        saved_inv_std = be.allocate(std::size_t(shape.out_channels));
    }
    ConvShape at(int n) const {
        ConvShape s = shape;
        s.batch = n;
        return s;
    }
    BatchNormShape bn(int n) const { return {n, shape.out_channels, shape.out_height(), shape.out_width()}; }

    void forward(OpBackend& be, const float* x, int n, bool training) {
        be.conv_forward(at(n), x, w, b, conv_out.data(), false);
        if (training)
            be.batch_norm_forward_training(bn(n), params, conv_out.data(), gamma, beta, out.data(), saved_mean.data(),
                                           saved_inv_std.data(), moving_mean, moving_var);
        else
            be.batch_norm_forward_inference(bn(n), params, conv_out.data(), gamma, beta, moving_mean, moving_var,
                                            out.data());
    }
    // dy: the gradient of `out`; tmp: scratch of conv_out's size; dx (may be dy, or nullptr when not needed).
    void backward(OpBackend& be, const float* x, const float* dy, float* tmp, float* dx, int n) {
        be.batch_norm_backward(bn(n), params, conv_out.data(), out.data(), dy, gamma, saved_mean.data(),
                               saved_inv_std.data(), tmp, dgamma, dbeta, false);
        be.conv_backward_filter(at(n), x, tmp, dw, false);
        be.conv_backward_bias(at(n), tmp, db, false);
        if (dx != nullptr) be.conv_backward_data(at(n), w, tmp, dx);
    }
};

struct BlockLayers {
    bool projection;
    std::vector<ConvBnLayer> layers;  // reduce, conv, expand[, shortcut]
    Buffer out;

    ConvBnLayer& reduce() { return layers[0]; }
    ConvBnLayer& conv() { return layers[1]; }
    ConvBnLayer& expand() { return layers[2]; }
    ConvBnLayer& shortcut() { return layers[3]; }
    std::size_t out_size(int n) const { return layers[2].at(n).out_size(); }
    std::size_t in_size(int n) const { return layers[0].at(n).in_size(); }

    void forward(OpBackend& be, const float* x, int n, bool training) {
        reduce().forward(be, x, n, training);
        conv().forward(be, reduce().out.data(), n, training);
        expand().forward(be, conv().out.data(), n, training);
        if (projection) shortcut().forward(be, x, n, training);
        be.add(expand().out.data(), projection ? shortcut().out.data() : x, out.data(), out_size(n), true);
    }
    // g: the gradient of `out` (overwritten); dx: the gradient of x; t1, t2: scratch.
    void backward(OpBackend& be, const float* x, float* g, float* dx, float* t1, float* t2, int n) {
        be.relu_backward(out.data(), g, g, out_size(n));
        expand().backward(be, conv().out.data(), g, t1, t2, n);
        conv().backward(be, reduce().out.data(), t2, t1, t2, n);
        reduce().backward(be, x, t2, t1, dx, n);
        if (projection) {
            shortcut().backward(be, x, g, t1, t2, n);
            be.axpy(1.0f, t2, dx, in_size(n));
        } else {
            be.axpy(1.0f, g, dx, in_size(n));
        }
    }
};

}  // namespace

struct ResNetNetwork::Impl {
    OpBackend& be;
    ResNetSpec spec;
    const float* dense_w;
    const float* dense_b;
    float* dense_dw;
    float* dense_db;
    std::vector<ConvBnLayer> stem;  // one
    std::vector<BlockLayers> blocks;
    Buffer pooled, features, logits, dlogits, dfeatures, loss_scratch;
    Buffer gradient[4];  // the backward's two running gradients and two scratch buffers

    Impl(OpBackend& b, const ResNetSpec& s, const ParameterLayout& layout, float* params, float* grads, float* state);
    std::size_t largest_activation() const;
    MaxPoolShape pool(int n) const {
        MaxPoolShape p = spec.pool;
        p.batch = n;
        return p;
    }
    void forward(const float* images, int n, bool training);
    void backward(const float* images, int n);
};

ResNetNetwork::Impl::Impl(OpBackend& b, const ResNetSpec& s, const ParameterLayout& layout, float* params, float* grads,
                          float* state)
    : be(b), spec(s) {
    dense_w = params + layout.dense_kernel(), dense_b = params + layout.dense_bias();
    dense_dw = grads + layout.dense_kernel(), dense_db = grads + layout.dense_bias();
    stem.emplace_back(be, spec.stem, layout, params, grads, state);
    for (const BlockSpec& bs : spec.blocks) {
        BlockLayers block{bs.projection, {}, Buffer()};
        for (const ConvBnSpec* c : {&bs.reduce, &bs.conv, &bs.expand}) block.layers.emplace_back(be, *c, layout, params, grads, state);
        if (bs.projection) block.layers.emplace_back(be, bs.shortcut, layout, params, grads, state);
        block.out = be.allocate(bs.expand.conv.out_size());
        blocks.push_back(std::move(block));
    }
    const std::size_t batch = std::size_t(spec.batch), classes = std::size_t(spec.config.classes);
    pooled = be.allocate(spec.pool.out_size());
    features = be.allocate(batch * std::size_t(spec.features));
    dfeatures = be.allocate(batch * std::size_t(spec.features));
    logits = be.allocate(batch * classes);
    dlogits = be.allocate(batch * classes);
    loss_scratch = be.allocate(2 * batch);
    for (Buffer& g : gradient) g = be.allocate(largest_activation());
}

namespace {

// The size of the backward's running gradients and scratch: the largest activation of a block, or the
// stem's output.
std::size_t largest_activation(const ResNetSpec& spec) {
    std::size_t largest = spec.pool.in_size();
    for (const BlockSpec& b : spec.blocks)
        for (const ConvBnSpec* c : {&b.shortcut, &b.reduce, &b.conv, &b.expand})
            if (c != &b.shortcut || b.projection) largest = std::max({largest, c->conv.in_size(), c->conv.out_size()});
    return largest;
}

}  // namespace

std::size_t ResNetNetwork::Impl::largest_activation() const {
    return nst::largest_activation(spec);
}

std::size_t ResNetNetwork::floats(const ResNetSpec& spec) {
    std::size_t n = 4 * nst::largest_activation(spec) + spec.pool.out_size();
    for (const ConvBnSpec* c : conv_bn_layers(spec)) n += 2 * c->conv.out_size() + 2 * std::size_t(c->conv.out_channels);
    for (const BlockSpec& b : spec.blocks) n += b.expand.conv.out_size();
    const std::size_t batch = std::size_t(spec.batch);
    return n + 2 * batch * std::size_t(spec.features) + 2 * batch * std::size_t(spec.config.classes) + 2 * batch;
}

void ResNetNetwork::Impl::forward(const float* images, int n, bool training) {
    stem[0].forward(be, images, n, training);
    be.max_pool_forward(pool(n), stem[0].out.data(), pooled.data());
    const float* x = pooled.data();
    for (BlockLayers& b : blocks) {
        b.forward(be, x, n, training);
        x = b.out.data();
    }
    be.global_avg_pool_forward(n, spec.features, spec.feature_pixels, x, features.data());
    be.dense_forward(n, spec.features, spec.config.classes, features.data(), dense_w, dense_b, logits.data());
}

void ResNetNetwork::Impl::backward(const float* images, int n) {
    const int F = spec.features, C = spec.config.classes;
    be.dense_backward_weights(n, F, C, features.data(), dlogits.data(), dense_dw, dense_db, false);
    be.dense_backward_data(n, F, C, dense_w, dlogits.data(), dfeatures.data());
    float *g = gradient[0].data(), *d = gradient[1].data(), *t1 = gradient[2].data(), *t2 = gradient[3].data();
    be.global_avg_pool_backward(n, F, spec.feature_pixels, dfeatures.data(), g);
    for (std::size_t i = blocks.size(); i-- > 0;) {
        const float* x = i == 0 ? pooled.data() : blocks[i - 1].out.data();
        blocks[i].backward(be, x, g, d, t1, t2, n);
        std::swap(g, d);
    }
    be.max_pool_backward(pool(n), stem[0].out.data(), pooled.data(), g, d);
    stem[0].backward(be, images, d, t1, nullptr, n);
}

ResNetNetwork::ResNetNetwork(OpBackend& backend, const ResNetSpec& spec, const ParameterLayout& layout, float* params,
                             float* grads, float* state)
    : impl_(std::make_unique<Impl>(backend, spec, layout, params, grads, state)) {}

ResNetNetwork::~ResNetNetwork() = default;

void ResNetNetwork::prepare(int n) {
    for (const ConvShape& s : resnet50_conv_shapes(impl_->spec.config, n)) impl_->be.prepare_conv(s);
}

void ResNetNetwork::forward(const float* images, int n, bool training) {
    impl_->forward(images, n, training);
}

void ResNetNetwork::loss(const float* labels, int n, float* scalars) {
    impl_->be.softmax_cross_entropy(n, impl_->spec.config.classes, impl_->logits.data(), labels,
                                    impl_->loss_scratch.data(), scalars, scalars + 1, impl_->dlogits.data());
}

void ResNetNetwork::backward(const float* images, int n) {
    impl_->backward(images, n);
}

const float* ResNetNetwork::logits() const {
    return impl_->logits.data();
}

}  // namespace nst
