// ResNet-50's parameter layout and Keras's initialisation (resnet_parameters.hpp).
#include "train/resnet_parameters.hpp"

#include <cmath>

#include "nst/error.hpp"
#include "shared/counter_rng.hpp"

namespace nst {

namespace {

std::size_t product(const std::vector<std::size_t>& dims) {
    std::size_t n = 1;
    for (std::size_t d : dims) n *= d;
    return n;
}

}  // namespace

void ParameterLayout::add(const std::string& name, TensorRole role, std::vector<std::size_t> shape) {
    ParamTensor t{name, role, std::move(shape)};
    t.size = product(t.keras_shape);
    std::size_t& arena = t.trainable() ? trainable_ : state_;
    t.offset = arena;
    arena += t.size;
    tensors_.push_back(std::move(t));
}

ParameterLayout::ParameterLayout(const ResNetSpec& spec) {
    for (const ConvBnSpec* cp : conv_bn_layers(spec)) {
        const ConvBnSpec& c = *cp;
        const ConvShape& s = c.conv;
        const std::size_t k = std::size_t(s.kernel), in = std::size_t(s.in_channels), out = std::size_t(s.out_channels);
        add(c.name + "_conv_kernel", TensorRole::ConvKernel, {k, k, in, out});
        add(c.name + "_conv_bias", TensorRole::Bias, {out});
        add(c.name + "_bn_gamma", TensorRole::Gamma, {out});
        add(c.name + "_bn_beta", TensorRole::Beta, {out});
        add(c.name + "_bn_moving_mean", TensorRole::MovingMean, {out});
        add(c.name + "_bn_moving_variance", TensorRole::MovingVariance, {out});
    }
    add("predictions_kernel", TensorRole::DenseKernel, {std::size_t(spec.features), std::size_t(spec.config.classes)});
    add("predictions_bias", TensorRole::Bias, {std::size_t(spec.config.classes)});
}

const ParamTensor& ParameterLayout::find(const std::string& name) const {
    for (const ParamTensor& t : tensors_)
        if (t.name == name) return t;
    throw Error("ResNet-50 has no tensor named " + name);
}

ConvBnOffsets ParameterLayout::conv_bn(const std::string& name) const {
    return {find(name + "_conv_kernel").offset,   find(name + "_conv_bias").offset,
            find(name + "_bn_gamma").offset,      find(name + "_bn_beta").offset,
            find(name + "_bn_moving_mean").offset, find(name + "_bn_moving_variance").offset};
}

void initialize_parameters(const ParameterLayout& layout, std::uint64_t seed, std::vector<float>& trainable,
                           std::vector<float>& state) {
    trainable.assign(layout.trainable_size(), 0.0f);
    state.assign(layout.state_size(), 0.0f);
    std::uint64_t stream = 0;
    for (const ParamTensor& t : layout.tensors()) {
        ++stream;
        float* dst = (t.trainable() ? trainable.data() : state.data()) + t.offset;
        if (t.role == TensorRole::Gamma || t.role == TensorRole::MovingVariance) std::fill(dst, dst + t.size, 1.0f);
        if (t.role != TensorRole::ConvKernel && t.role != TensorRole::DenseKernel) continue;
        // Keras's fans: the receptive field times the input or output channels (a dense kernel's field is 1).
        const std::vector<std::size_t>& d = t.keras_shape;
        const double field = d.size() == 4 ? double(d[0] * d[1]) : 1.0;
        const double fan_in = field * double(d[d.size() - 2]), fan_out = field * double(d.back());
        const double limit = std::sqrt(6.0 / (fan_in + fan_out));
        for (std::size_t i = 0; i < t.size; ++i)
            dst[i] = static_cast<float>(limit * (2.0 * rng::uniform24(rng::hash(seed, stream, i)) - 1.0));
    }
}

}  // namespace nst
