#include "transfer/vgg_network.hpp"

#include <algorithm>

#include "nst/error.hpp"

namespace nst {

DeviceWeights upload_weights(OpBackend& backend, const VggWeights& weights, std::size_t count) {
    DeviceWeights d;
    for (std::size_t i = 0; i < std::min(count, weights.convs.size()); ++i) {
        const ConvWeights& c = weights.convs[i];
        d.filters.push_back(backend.allocate(c.filters.size()));
        backend.upload(c.filters.data(), d.filters.back().data(), c.filters.size());
        d.biases.push_back(backend.allocate(c.bias.size()));
        backend.upload(c.bias.data(), d.biases.back().data(), c.bias.size());
    }
    return d;
}

std::vector<Stage> vgg_stages(const VggWeights& weights, PoolMode pool, int height, int width,
                              const std::string& last, int batch) {
    const int last_position = vgg19_layer_position(last);
    std::vector<Stage> stages;
    int channels = 3, h = height, w = width, conv = 0;
    for (int p = 0; p <= last_position; ++p) {
        const Vgg19Layer& layer = vgg19_layers()[static_cast<std::size_t>(p)];
        if (layer.kind == LayerKind::Relu) continue;  // fused into the convolution before it
        Stage s;
        if (layer.kind == LayerKind::Conv) {
            if (conv >= static_cast<int>(weights.convs.size()))
                throw Error("the weights end at " +
                            (weights.convs.empty() ? std::string("nothing") : weights.convs.back().name) +
                            ", but layer " + last + " needs " + layer.name);
            const ConvWeights& c = weights.convs[static_cast<std::size_t>(conv)];
            if (c.in_channels != channels)
                throw Error("weights " + c.name + " take " + std::to_string(c.in_channels) + " channels, but " +
                            std::to_string(channels) + " arrive");
            s.name = "relu" + layer.name.substr(4);
            s.conv_shape = ConvShape{batch, c.in_channels, c.out_channels, h, w};
            s.conv_index = conv++;
            channels = c.out_channels;
        } else {
            s.name = layer.name;
            s.conv = false;
            s.pool_shape = PoolShape{batch, channels, h, w, pool};
            h = s.pool_shape.out_height();
            w = s.pool_shape.out_width();
        }
        s.batch = batch;
        s.channels = channels;
        s.height = h;
        s.width = w;
        stages.push_back(std::move(s));
    }
    return stages;
}

VggNetwork::VggNetwork(OpBackend& backend, const DeviceWeights& weights, std::vector<Stage> stages)
    : backend_(backend), weights_(weights), stages_(std::move(stages)) {
    for (const Stage& s : stages_) {
        owned_.push_back(backend_.allocate(s.size()));
        outputs_.push_back(owned_.back().data());
    }
    prepare();
}

VggNetwork::VggNetwork(OpBackend& backend, const DeviceWeights& weights, std::vector<Stage> stages,
                       const std::vector<Buffer>& storage)
    : backend_(backend), weights_(weights), stages_(std::move(stages)) {
    if (storage.size() != stages_.size()) throw Error("VggNetwork: storage for a different number of stages");
    for (std::size_t i = 0; i < stages_.size(); ++i) {
        if (storage[i].size() < stages_[i].size()) throw Error("VggNetwork: storage too small for " + stages_[i].name);
        outputs_.push_back(storage[i].data());
    }
    prepare();
}

void VggNetwork::prepare() {
    for (const Stage& s : stages_) {
        if (s.conv) {
            backend_.prepare_conv(s.conv_shape);
            backend_.prepare_relu(s.size());
        } else {
            backend_.prepare_pool(s.pool_shape);
        }
    }
}

int VggNetwork::find(const std::string& name) const {
    for (std::size_t i = 0; i < stages_.size(); ++i)
        if (stages_[i].name == name) return static_cast<int>(i);
    return -1;
}

std::size_t VggNetwork::largest_output() const noexcept {
    std::size_t n = 0;
    for (const Stage& s : stages_) n = std::max(n, s.size());
    return n;
}

void VggNetwork::forward(const float* image) {
    const float* in = image;
    for (std::size_t i = 0; i < stages_.size(); ++i) {
        const Stage& s = stages_[i];
        float* out = outputs_[i];
        if (s.conv) {
            const auto k = static_cast<std::size_t>(s.conv_index);
            backend_.conv_forward(s.conv_shape, in, weights_.filters[k].data(), weights_.biases[k].data(), out, true);
        } else {
            backend_.pool_forward(s.pool_shape, in, out);
        }
        in = out;
    }
}

void VggNetwork::backward_stage(int i, const float* input, float* grad_out, float* grad_in) {
    const Stage& s = stages_[static_cast<std::size_t>(i)];
    const float* out = outputs_[static_cast<std::size_t>(i)];
    if (s.conv) {
        backend_.relu_backward(out, grad_out, grad_out, s.size());
        backend_.conv_backward_data(s.conv_shape, weights_.filters[static_cast<std::size_t>(s.conv_index)].data(),
                                    grad_out, grad_in);
    } else {
        backend_.pool_backward(s.pool_shape, input, out, grad_out, grad_in);
    }
}

}  // namespace nst
