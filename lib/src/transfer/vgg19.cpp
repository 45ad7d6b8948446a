// VGG-19's convolutional part and the built-in random-weight network.
#include <cmath>
#include <string>

#include "shared/counter_rng.hpp"
#include "nst/error.hpp"
#include "nst/weights.hpp"

namespace nst {

const std::vector<Vgg19Layer>& vgg19_layers() {
    static const std::vector<Vgg19Layer> layers = [] {
        std::vector<Vgg19Layer> out;
        const int convs_per_block[5] = {2, 2, 4, 4, 4};
        const int channels[5] = {64, 128, 256, 512, 512};
        int index = 0;
        for (int block = 0; block < 5; ++block) {
            for (int k = 1; k <= convs_per_block[block]; ++k) {
                const std::string suffix = std::to_string(block + 1) + "_" + std::to_string(k);
                out.push_back({"conv" + suffix, LayerKind::Conv, index++, channels[block]});
                out.push_back({"relu" + suffix, LayerKind::Relu, index++, channels[block]});
            }
            out.push_back({"pool" + std::to_string(block + 1), LayerKind::Pool, index++, channels[block]});
        }
        return out;
    }();
    return layers;
}

int vgg19_layer_position(const std::string& name) {
    const auto& layers = vgg19_layers();
    for (std::size_t i = 0; i < layers.size(); ++i)
        if (name == layers[i].name) return static_cast<int>(i);
    throw Error("unknown VGG-19 layer '" + name +
                "' (expected convB_K or reluB_K with B_K one of 1_1 1_2 2_1 2_2 3_1..3_4 4_1..4_4 5_1..5_4, or pool1..pool5)");
}

VggWeights random_vgg19(std::uint64_t seed, const std::string& deepest, int channel_divisor) {
    if (channel_divisor < 1 || 64 % channel_divisor != 0)
        throw Error("random VGG-19: channel divisor " + std::to_string(channel_divisor) +
                    " must divide 64 (1, 2, 4, 8, 16, 32 or 64)");
    const int last = vgg19_layer_position(deepest);
    VggWeights w;
    w.source = "random:" + std::to_string(seed);
    w.random = true;
    w.mean_rgb = kVggMeanRgb;
    int in_channels = 3;
    int conv_number = 0;
    for (int i = 0; i <= last; ++i) {
        const Vgg19Layer& layer = vgg19_layers()[static_cast<std::size_t>(i)];
        if (layer.kind != LayerKind::Conv) continue;
        ConvWeights c;
        c.name = layer.name;
        c.in_channels = in_channels;
        c.out_channels = layer.out_channels / channel_divisor;
        c.filters.resize(static_cast<std::size_t>(c.out_channels) * c.in_channels * 9);
        c.bias.assign(static_cast<std::size_t>(c.out_channels), 0.0f);
        // He (Kaiming) normal for ReLU networks: std = sqrt(2 / fan_in), fan_in = 9 * in_channels.
        const double stddev = std::sqrt(2.0 / (9.0 * c.in_channels));
        for (std::size_t j = 0; j < c.filters.size(); ++j) {
            // Box-Muller on two counter-based uniforms: element j of conv k depends only on (seed, k, j).
            const double u1 = rng::uniform53_open0(rng::hash(seed, 2 * conv_number, j));
            const double u2 = rng::uniform53_open0(rng::hash(seed, 2 * conv_number + 1, j));
            const double normal = std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
            c.filters[j] = static_cast<float>(stddev * normal);
        }
        in_channels = c.out_channels;
        ++conv_number;
        w.convs.push_back(std::move(c));
    }
    return w;
}

VggWeights load_weights(const std::string& spec, const std::string& deepest) {
    if (spec == "random") return random_vgg19(0, deepest);
    const std::string prefix = "random:";
    if (spec.compare(0, prefix.size(), prefix) == 0) {
        const std::string seed = spec.substr(prefix.size());
        const bool digits = !seed.empty() && seed.size() <= 19 && seed.find_first_not_of("0123456789") == std::string::npos;
        if (!digits) throw Error("--weights " + spec + ": the seed must be a whole number (random:SEED)");
        return random_vgg19(std::stoull(seed), deepest);
    }
    return load_vgg19_mat(spec, deepest);
}

}  // namespace nst
