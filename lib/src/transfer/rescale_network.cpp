// Rescaling VGG-19 so that every channel's mean ReLU activation over reference images is 1, without
// changing what the network computes up to those scales (the "normalised VGG" of Gatys, Ecker and Bethge).
// ReLU and pooling commute with positive per-channel scaling, so with m[l][c] the mean of channel c of conv
// l, the filters W'[o][i] = W[o][i] · m[l-1][i] / m[l][o] and biases b'[o] = b[o] / m[l][o] give activations
// a'[l][c] = a[l][c] / m[l][c] on every input.
#include <algorithm>
#include <cmath>

#include "nst/error.hpp"
#include "nst/transfer.hpp"
#include "transfer/tiled_network.hpp"
#include "transfer/vgg_network.hpp"

namespace nst {

namespace {

// Σ over `window` of each channel of a network's stage output, added to sums[c] (downloaded; double).
void add_channel_sums(OpBackend& backend, const VggNetwork& net, int k, const CropWindow& window,
                      std::vector<double>& sums) {
    const Stage& s = net.stage(k);
    std::vector<float> y(s.size());
    backend.download(net.output(k), y.data(), y.size());
    for (int c = 0; c < s.channels; ++c)
        for (int r = window.top; r < window.top + window.height; ++r) {
            const float* row = y.data() + (std::size_t(c) * s.height + r) * s.width;
            double sum = 0.0;
            for (int col = window.left; col < window.left + window.width; ++col) sum += row[col];
            sums[std::size_t(c)] += sum;
        }
}

// Each convolution's per-channel sums of its activations over one reference image, over each tile's own
// positions, which partition the image (tile <= 0: one tile, the whole image).
void reference_sums(OpBackend& backend, const VggWeights& weights, const DeviceWeights& device, const Image& ref,
                    PoolMode pool, int tile, std::vector<std::vector<double>>& sums) {
    const std::string last = "relu" + weights.convs.back().name.substr(4);
    Buffer x = backend.allocate(std::size_t(3) * ref.width * ref.height);
    backend.image_to_tensor(ref.rgb.data(), ref.height, ref.width, weights.mean_rgb.data(), x.data());
    const TilePlan plan = plan_network_tiles(vgg_stages(weights, pool, ref.height, ref.width, last), ref.width,
                                             ref.height, tile > 0 ? tile : std::max(ref.width, ref.height));
    TiledNetwork tiles(backend, device, weights, pool, last, {&plan});
    for (const Tile& t : plan.tiles) {
        const VggNetwork& net = tiles.forward(plan, t, x.data());
        for (int k = 0; k < net.stage_count(); ++k)
            if (net.stage(k).conv)
                add_channel_sums(backend, net, k, own_window(t, tiles.scale(k), ref.height, ref.width),
                                 sums[std::size_t(net.stage(k).conv_index)]);
    }
}

}  // namespace

void normalize_network(Backend& public_backend, VggWeights& weights, const std::vector<Image>& references,
                       PoolMode pool, int tile) {
    OpBackend& backend = ops_of(public_backend);
    if (references.empty()) throw Error("normalize_network: no reference image");
    if (weights.convs.empty()) return;
    // m[l][c]: channel c's mean activation of conv l, averaged over the references (one forward pass each).
    std::vector<std::vector<double>> mean(weights.convs.size());
    for (std::size_t l = 0; l < weights.convs.size(); ++l)
        mean[l].assign(static_cast<std::size_t>(weights.convs[l].out_channels), 0.0);
    const DeviceWeights device = upload_weights(backend, weights);
    for (const Image& ref : references) {
        std::vector<std::vector<double>> sums(mean.size());
        for (std::size_t l = 0; l < mean.size(); ++l) sums[l].assign(mean[l].size(), 0.0);
        reference_sums(backend, weights, device, ref, pool, tile, sums);
        const double reference_count = static_cast<double>(references.size());
        std::vector<Stage> stages = vgg_stages(weights, pool, ref.height, ref.width,
                                               "relu" + weights.convs.back().name.substr(4));
        for (const Stage& s : stages)
            if (s.conv)
                for (std::size_t c = 0; c < sums[std::size_t(s.conv_index)].size(); ++c)
                    mean[std::size_t(s.conv_index)][c] +=
                        sums[std::size_t(s.conv_index)][c] / (double(s.height) * s.width) / reference_count;
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
