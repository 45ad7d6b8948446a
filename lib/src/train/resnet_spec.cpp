// ResNet-50's architecture (nst/resnet.hpp): the shapes libnst runs and the layer table Keras prints.
#include <algorithm>
#include <cstdio>
#include <sstream>

#include "nst/error.hpp"
#include "nst/resnet.hpp"

namespace nst {

namespace {

struct Stage {
    int filters, blocks, stride;
};
constexpr Stage kStages[] = {{64, 3, 1}, {128, 4, 2}, {256, 6, 2}, {512, 3, 2}};

void check_config(const ResNetConfig& c, int batch) {
    if (c.image_size < 32 || c.image_size > 1024)
        throw Error("resnet50: image size " + std::to_string(c.image_size) + " (Keras's ResNet-50 takes 32 to 1024)");
    if (c.classes < 2 || c.classes > 100000) throw Error("resnet50: " + std::to_string(c.classes) + " classes (2 to 100000)");
    if (c.width_divisor < 1 || 64 % c.width_divisor != 0)
        throw Error("resnet50: width divisor " + std::to_string(c.width_divisor) + " (it must divide 64)");
    if (batch < 1) throw Error("resnet50: batch " + std::to_string(batch) + " (at least 1)");
}

ConvBnSpec conv_bn(const std::string& name, int batch, int in, int out, int side, int kernel, int stride, bool relu) {
    return {name, ConvShape{batch, in, out, side, side, kernel, stride, kernel / 2}, relu};
}

// Keras's block1: 1x1/s → 3x3 'same' → 1x1 (4·filters), shortcut 1x1/s projection or identity.
BlockSpec block(const std::string& name, int batch, int in, int filters, int side, int stride, bool projection) {
    BlockSpec b;
    b.name = name;
    b.projection = projection;
    if (projection) b.shortcut = conv_bn(name + "_0", batch, in, 4 * filters, side, 1, stride, false);
    b.reduce = conv_bn(name + "_1", batch, in, filters, side, 1, stride, true);
    const int out_side = b.reduce.conv.out_height();
    b.conv = conv_bn(name + "_2", batch, filters, filters, out_side, 3, 1, true);
    b.expand = conv_bn(name + "_3", batch, filters, 4 * filters, out_side, 1, 1, false);
    return b;
}

}  // namespace

ResNetSpec resnet50_spec(const ResNetConfig& config, int batch) {
    check_config(config, batch);
    const int d = config.width_divisor;
    ResNetSpec s;
    s.config = config;
    s.batch = batch;
    s.stem = conv_bn("conv1", batch, 3, 64 / d, config.image_size, 7, 2, true);
    const int stem_side = s.stem.conv.out_height();
    s.pool = MaxPoolShape{batch, 64 / d, stem_side, stem_side, 3, 2, 1};
    int channels = 64 / d, side = s.pool.out_height();
    for (int k = 0; k < 4; ++k) {
        const Stage& st = kStages[k];
        for (int i = 0; i < st.blocks; ++i) {
            const std::string name = "conv" + std::to_string(k + 2) + "_block" + std::to_string(i + 1);
            BlockSpec b = block(name, batch, channels, st.filters / d, side, i == 0 ? st.stride : 1, i == 0);
            channels = b.expand.conv.out_channels;
            side = b.expand.conv.out_height();
            s.blocks.push_back(std::move(b));
        }
    }
    s.features = channels;
    s.feature_pixels = side * side;
    return s;
}

std::vector<const ConvBnSpec*> conv_bn_layers(const ResNetSpec& spec) {
    std::vector<const ConvBnSpec*> layers{&spec.stem};
    for (const BlockSpec& b : spec.blocks) {
        if (b.projection) layers.push_back(&b.shortcut);
        for (const ConvBnSpec* c : {&b.reduce, &b.conv, &b.expand}) layers.push_back(c);
    }
    return layers;
}

std::vector<ConvShape> resnet50_conv_shapes(const ResNetConfig& config, int batch) {
    const ResNetSpec s = resnet50_spec(config, batch);
    std::vector<ConvShape> shapes;
    for (const ConvBnSpec* c : conv_bn_layers(s)) {
        const ConvShape& a = c->conv;
        const bool seen = std::any_of(shapes.begin(), shapes.end(), [&](const ConvShape& b) {
            return a.in_channels == b.in_channels && a.out_channels == b.out_channels && a.height == b.height &&
                   a.width == b.width && a.kernel == b.kernel && a.stride == b.stride && a.pad == b.pad;
        });
        if (!seen) shapes.push_back(a);
    }
    return shapes;
}

}  // namespace nst
