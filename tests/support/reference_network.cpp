#include "reference_network.hpp"

#include <map>

namespace nst::test {

Vec image_planes(const Image& image, const std::array<float, 3>& mean) {
    const std::size_t plane = std::size_t(image.width) * image.height;
    Vec x(3 * plane);
    for (std::size_t i = 0; i < plane; ++i)
        for (int c = 0; c < 3; ++c)
            x[c * plane + i] = double(image.rgb[i * 3 + c]) - double(mean[static_cast<std::size_t>(c)]);
    return x;
}

std::map<std::string, ReferenceFeature> reference_features(const VggWeights& w, PoolMode mode, const Vec& image, int H,
                                                           int W, const std::string& last) {
    const int last_position = vgg19_layer_position(last);
    std::map<std::string, ReferenceFeature> out;
    Vec cur = image;
    int channels = 3, conv = 0;
    for (int p = 0; p <= last_position; ++p) {
        const Vgg19Layer& l = vgg19_layers()[static_cast<std::size_t>(p)];
        if (l.kind == LayerKind::Relu) continue;
        if (l.kind == LayerKind::Conv) {
            const ConvWeights& c = w.convs[static_cast<std::size_t>(conv++)];
            const ConvShape s{1, c.in_channels, c.out_channels, H, W};
            cur = conv2d(s, cur, to_double(c.filters), to_double(c.bias), true);
            channels = c.out_channels;
            out["relu" + l.name.substr(4)] = {cur, channels, H, W};
        } else {
            const PoolShape s{1, channels, H, W, mode};
            cur = pool(s, cur);
            H = s.out_height();
            W = s.out_width();
            out[l.name] = {cur, channels, H, W};
        }
    }
    return out;
}

double reference_total_loss(const VggWeights& weights, const TransferOptions& o, const Image& content,
                            const Image& style, const Vec& x) {
    const int H = content.height, W = content.width;
    int last = 0;
    for (const auto* list : {&o.content_layers, &o.style_layers})
        for (const LayerWeight& l : *list) last = std::max(last, vgg19_layer_position(canonical_layer(l.layer)));
    const std::string deepest = vgg19_layers()[static_cast<std::size_t>(last)].name;
    const auto c_feat = reference_features(weights, o.pool, image_planes(content, weights.mean_rgb), H, W, deepest);
    const auto s_feat =
        reference_features(weights, o.pool, image_planes(resize_image(style, W, H), weights.mean_rgb), H, W, deepest);
    const auto x_feat = reference_features(weights, o.pool, x, H, W, deepest);
    double total = 0.0;
    for (const LayerWeight& l : o.content_layers) {
        const ReferenceFeature& f = x_feat.at(canonical_layer(l.layer));
        total += content_loss(f.values, c_feat.at(canonical_layer(l.layer)).values, f.channels,
                              std::int64_t(f.height) * f.width, double(o.content_weight) * l.weight);
    }
    for (const LayerWeight& l : o.style_layers) {
        const ReferenceFeature& f = x_feat.at(canonical_layer(l.layer));
        const ReferenceFeature& s = s_feat.at(canonical_layer(l.layer));
        const std::int64_t M = std::int64_t(f.height) * f.width;
        total += style_loss(f.values, f.channels, M, gram(s.values, s.channels, M), double(o.style_weight) * l.weight);
    }
    if (o.tv_weight > 0) total += tv_loss(3, H, W, x, o.tv_weight);
    return total;
}

}  // namespace nst::test
