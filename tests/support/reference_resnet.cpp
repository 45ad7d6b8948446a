#include "reference_resnet.hpp"

#include <algorithm>

#include "reference_training.hpp"
#include "train/resnet_parameters.hpp"

namespace nst::test {

namespace {

Vec slice(const Vec& v, std::size_t offset, std::size_t size) {
    return Vec(v.begin() + std::ptrdiff_t(offset), v.begin() + std::ptrdiff_t(offset + size));
}

// conv → batch norm (training) → ReLU when the spec says so.
Vec conv_bn(const ConvBnSpec& c, const ParameterLayout& layout, const Vec& p, const Vec& x) {
    const ConvShape& s = c.conv;
    const ConvBnOffsets o = layout.conv_bn(c.name);
    const std::size_t out = std::size_t(s.out_channels);
    const Vec y = conv2d(s, x, slice(p, o.kernel, s.filter_size()), slice(p, o.bias, out), false);
    const BatchNormShape bn{s.batch, s.out_channels, s.out_height(), s.out_width()};
    return batch_norm(bn, y, slice(p, o.gamma, out), slice(p, o.beta, out), 1.001e-5, c.relu).y;
}

}  // namespace

double reference_resnet_loss(const ResNetSpec& spec, const Vec& p, const Vec& images, const std::vector<float>& labels) {
    const ParameterLayout layout(spec);
    Vec x = max_pool(spec.pool, conv_bn(spec.stem, layout, p, images));
    for (const BlockSpec& b : spec.blocks) {
        const Vec main = conv_bn(b.expand, layout, p, conv_bn(b.conv, layout, p, conv_bn(b.reduce, layout, p, x)));
        const Vec shortcut = b.projection ? conv_bn(b.shortcut, layout, p, x) : x;
        x.assign(main.size(), 0.0);
        for (std::size_t i = 0; i < x.size(); ++i) x[i] = std::max(main[i] + shortcut[i], 0.0);
    }
    const int n = spec.batch, F = spec.features, C = spec.config.classes;
    const Vec features = global_avg_pool(n, F, spec.feature_pixels, x);
    const Vec logits = dense(n, F, C, features, slice(p, layout.dense_kernel(), std::size_t(F) * C),
                             slice(p, layout.dense_bias(), std::size_t(C)));
    return softmax_cross_entropy(n, C, logits, labels, nullptr, nullptr);
}

}  // namespace nst::test
