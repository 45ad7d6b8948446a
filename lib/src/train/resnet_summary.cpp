// ResNet-50's layer table in Keras's order and wording (model.summary()), and its parameter counts.
#include <cstdio>
#include <sstream>

#include "nst/resnet.hpp"

namespace nst {

namespace {

using Layers = std::vector<KerasLayer>;

std::vector<int> hwc(const ConvShape& s) {
    return {s.out_height(), s.out_width(), s.out_channels};
}

void add_conv(Layers& out, const ConvBnSpec& c, const std::string& input) {
    const ConvShape& s = c.conv;
    const std::int64_t weights = std::int64_t(s.filter_size()) + s.out_channels;
    out.push_back({c.name + "_conv", "Conv2D", hwc(s), weights, 0, {input}});
}

void add_bn(Layers& out, const ConvBnSpec& c) {
    const std::int64_t ch = c.conv.out_channels;
    out.push_back({c.name + "_bn", "BatchNormalization", hwc(c.conv), 4 * ch, 2 * ch, {c.name + "_conv"}});
}

void add_relu(Layers& out, const ConvBnSpec& c) {
    out.push_back({c.name + "_relu", "Activation", hwc(c.conv), 0, 0, {c.name + "_bn"}});
}

// Keras lists a projection block as 1_conv 1_bn 1_relu 2_conv 2_bn 2_relu 0_conv 3_conv 0_bn 3_bn add out.
void add_block(Layers& out, const BlockSpec& b, const std::string& input) {
    add_conv(out, b.reduce, input);
    add_bn(out, b.reduce);
    add_relu(out, b.reduce);
    add_conv(out, b.conv, b.reduce.name + "_relu");
    add_bn(out, b.conv);
    add_relu(out, b.conv);
    if (b.projection) add_conv(out, b.shortcut, input);
    add_conv(out, b.expand, b.conv.name + "_relu");
    if (b.projection) add_bn(out, b.shortcut);
    add_bn(out, b.expand);
    const std::vector<int> shape = hwc(b.expand.conv);
    out.push_back({b.name + "_add", "Add", shape, 0, 0, {b.projection ? b.shortcut.name + "_bn" : input, b.expand.name + "_bn"}});
    out.push_back({b.name + "_out", "Activation", shape, 0, 0, {b.name + "_add"}});
}

std::string shape_text(const std::vector<int>& shape) {
    std::string s = "(None";
    for (int d : shape) s += ", " + std::to_string(d);
    return s + ")";
}

}  // namespace

std::string with_thousands_separators(std::int64_t v) {
    std::string digits = std::to_string(v), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

std::vector<KerasLayer> resnet50_keras_layers(const ResNetConfig& config) {
    const ResNetSpec s = resnet50_spec(config, 1);
    const int S = config.image_size, stem = s.stem.conv.out_height(), c0 = s.stem.conv.out_channels;
    Layers out;
    out.push_back({"input_1", "InputLayer", {S, S, 3}, 0, 0, {}});
    out.push_back({"conv1_pad", "ZeroPadding2D", {S + 6, S + 6, 3}, 0, 0, {"input_1"}});
    add_conv(out, s.stem, "conv1_pad");
    add_bn(out, s.stem);
    add_relu(out, s.stem);
    out.push_back({"pool1_pad", "ZeroPadding2D", {stem + 2, stem + 2, c0}, 0, 0, {"conv1_relu"}});
    out.push_back({"pool1_pool", "MaxPooling2D", {s.pool.out_height(), s.pool.out_width(), c0}, 0, 0, {"pool1_pad"}});
    std::string input = "pool1_pool";
    for (const BlockSpec& b : s.blocks) {
        add_block(out, b, input);
        input = b.name + "_out";
    }
    out.push_back({"avg_pool", "GlobalAveragePooling2D", {s.features}, 0, 0, {input}});
    out.push_back({"predictions", "Dense", {config.classes}, std::int64_t(s.features) * config.classes + config.classes, 0,
                   {"avg_pool"}});
    return out;
}

ParameterCount resnet50_parameter_count(const ResNetConfig& config) {
    ParameterCount c;
    for (const KerasLayer& l : resnet50_keras_layers(config)) {
        c.total += l.params;
        c.non_trainable += l.non_trainable;
    }
    c.trainable = c.total - c.non_trainable;
    return c;
}

std::string resnet50_summary(const ResNetConfig& config) {
    std::ostringstream o;
    const std::string rule(110, '_'), double_rule(110, '=');
    o << "Model: \"resnet50\"" << (config.width_divisor > 1 ? " (channels / " + std::to_string(config.width_divisor) + ")" : "")
      << "\n" << rule << "\n";
    char line[512];
    std::snprintf(line, sizeof line, " %-34s %-22s %-11s %s\n", "Layer (type)", "Output Shape", "Param #", "Connected to");
    o << line << double_rule << "\n";
    for (const KerasLayer& l : resnet50_keras_layers(config)) {
        std::string inputs;
        for (const std::string& i : l.inputs) inputs += (inputs.empty() ? "'" : ", '") + i + "[0][0]'";
        std::snprintf(line, sizeof line, " %-34s %-22s %-11s [%s]\n", (l.name + " (" + l.type + ")").c_str(),
                      shape_text(l.shape).c_str(), with_thousands_separators(l.params).c_str(), inputs.c_str());
        o << line;
    }
    const ParameterCount c = resnet50_parameter_count(config);
    o << double_rule << "\nTotal params: " << with_thousands_separators(c.total) << "\nTrainable params: " << with_thousands_separators(c.trainable)
      << "\nNon-trainable params: " << with_thousands_separators(c.non_trainable) << "\n" << rule << "\n";
    return o.str();
}

}  // namespace nst
