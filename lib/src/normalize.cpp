// Rescaling VGG-19 so that every channel's mean ReLU activation over reference images is 1, without
// changing what the network computes up to those scales (the "normalised VGG" of Gatys, Ecker and Bethge).
// ReLU and pooling commute with positive per-channel scaling, so with m[l][c] the mean of channel c of conv
// l, the filters W'[o][i] = W[o][i] · m[l-1][i] / m[l][o] and biases b'[o] = b[o] / m[l][o] give activations
// a'[l][c] = a[l][c] / m[l][c] on every input.
#include <cmath>

#include "nst/error.hpp"
#include "nst/transfer.hpp"
#include "vgg_network.hpp"

namespace nst {

void normalize_network(Backend& backend, VggWeights& weights, const std::vector<Image>& references, PoolMode pool) {
    if (references.empty()) throw Error("normalize_network: no reference image");
    if (weights.convs.empty()) return;
    // m[l][c]: channel c's mean activation of conv l, averaged over the references (one forward pass each).
    std::vector<std::vector<double>> mean(weights.convs.size());
    for (std::size_t l = 0; l < weights.convs.size(); ++l)
        mean[l].assign(static_cast<std::size_t>(weights.convs[l].out_channels), 0.0);
    const DeviceWeights device = upload_weights(backend, weights);
    const std::string last = "relu" + weights.convs.back().name.substr(4);
    for (const Image& ref : references) {
        VggNetwork net(backend, device, vgg_stages(weights, pool, ref.height, ref.width, last));
        Buffer x = backend.allocate(std::size_t(3) * ref.width * ref.height);
        backend.image_to_tensor(ref.rgb.data(), ref.height, ref.width, weights.mean_rgb.data(), x.data());
        net.forward(x.data());
        std::vector<float> y;
        for (int k = 0; k < net.stage_count(); ++k) {
            const Stage& s = net.stage(k);
            if (!s.conv) continue;
            y.resize(s.size());
            backend.download(net.output(k), y.data(), y.size());
            const std::size_t plane = std::size_t(s.height) * s.width;
            for (int c = 0; c < s.channels; ++c) {
                double sum = 0.0;
                for (std::size_t i = 0; i < plane; ++i) sum += y[std::size_t(c) * plane + i];
                mean[static_cast<std::size_t>(s.conv_index)][static_cast<std::size_t>(c)] +=
                    sum / static_cast<double>(plane) / static_cast<double>(references.size());
            }
        }
    }
    // A channel that is zero (or not finite) on every reference keeps its scale.
    for (auto& layer : mean)
        for (double& m : layer)
            if (!(m > 0.0) || !std::isfinite(m)) m = 1.0;
    for (std::size_t l = 0; l < weights.convs.size(); ++l) {
        ConvWeights& conv = weights.convs[l];
        for (int o = 0; o < conv.out_channels; ++o) {
            const double out_scale = 1.0 / mean[l][static_cast<std::size_t>(o)];
            for (int i = 0; i < conv.in_channels; ++i) {
                const double in_scale = l > 0 ? mean[l - 1][static_cast<std::size_t>(i)] : 1.0;
                const auto s = static_cast<float>(in_scale * out_scale);
                float* f = conv.filters.data() + (std::size_t(o) * conv.in_channels + i) * 9;
                for (int k = 0; k < 9; ++k) f[k] *= s;
            }
            conv.bias[static_cast<std::size_t>(o)] =
                static_cast<float>(conv.bias[static_cast<std::size_t>(o)] * out_scale);
        }
    }
}

}  // namespace nst
