// ResNet-50's architecture as libnst builds it: Keras's layer table, output shapes and parameter counts
// (23,792,612 / 53,120 non-trainable at 32x32 and 100 classes, the numbers Keras's summary prints for the
// notebook's model), the narrow variant, the parameter arenas and Keras's initialisation.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <set>

#include "nst/error.hpp"
#include "nst/resnet.hpp"
#include "train/resnet_parameters.hpp"

using namespace nst;

TEST_CASE("ResNet-50's parameter counts are Keras's: 23,792,612 in all, 53,120 non-trainable", "[resnet]") {
    const ParameterCount c = resnet50_parameter_count(ResNetConfig{});
    CHECK(c.total == 23792612);
    CHECK(c.non_trainable == 53120);
    CHECK(c.trainable == 23739492);
    // ImageNet's 1000 classes at 224x224: Keras's 25,636,712 (the published figure).
    CHECK(resnet50_parameter_count(ResNetConfig{224, 1000, 1}).total == 25636712);
    const std::string summary = resnet50_summary(ResNetConfig{});
    CHECK_THAT(summary, Catch::Contains("Total params: 23,792,612"));
    CHECK_THAT(summary, Catch::Contains("Trainable params: 23,739,492"));
    CHECK_THAT(summary, Catch::Contains("Non-trainable params: 53,120"));
    CHECK_THAT(summary, Catch::Contains("conv1_conv (Conv2D)"));
}

TEST_CASE("ResNet-50's layers: Keras's names, order and output shapes at 32x32", "[resnet]") {
    const std::vector<KerasLayer> layers = resnet50_keras_layers(ResNetConfig{});
    CHECK(layers.size() == 177);  // len(ResNet50(include_top=True).layers)
    std::map<std::string, KerasLayer> by_name;
    for (const KerasLayer& l : layers) by_name[l.name] = l;
    CHECK(by_name.size() == layers.size());
    auto shape = [&](const char* n) { return by_name.at(n).shape; };
    CHECK(layers.front().name == "input_1");
    CHECK(shape("conv1_pad") == std::vector<int>{38, 38, 3});
    CHECK(shape("conv1_conv") == std::vector<int>{16, 16, 64});
    CHECK(by_name.at("conv1_conv").params == 9472);  // 7·7·3·64 + 64
    CHECK(by_name.at("conv1_bn").params == 256);
    CHECK(by_name.at("conv1_bn").non_trainable == 128);
    CHECK(shape("pool1_pool") == std::vector<int>{8, 8, 64});
    CHECK(shape("conv2_block3_out") == std::vector<int>{8, 8, 256});
    CHECK(shape("conv3_block1_1_conv") == std::vector<int>{4, 4, 128});  // the stride on the first 1x1
    CHECK(shape("conv4_block6_out") == std::vector<int>{2, 2, 1024});
    CHECK(shape("conv5_block3_out") == std::vector<int>{1, 1, 2048});
    CHECK(by_name.at("predictions").params == 204900);
    CHECK(layers.back().name == "predictions");
    // Keras's order inside a projection block.
    std::vector<std::string> block;
    for (const KerasLayer& l : layers)
        if (l.name.rfind("conv3_block1_", 0) == 0) block.push_back(l.name.substr(13));
    CHECK(block == std::vector<std::string>{"1_conv", "1_bn", "1_relu", "2_conv", "2_bn", "2_relu", "0_conv", "3_conv",
                                            "0_bn", "3_bn", "add", "out"});
    CHECK(by_name.at("conv3_block1_add").inputs == std::vector<std::string>{"conv3_block1_0_bn", "conv3_block1_3_bn"});
    CHECK(by_name.at("conv3_block2_add").inputs == std::vector<std::string>{"conv3_block1_out", "conv3_block2_3_bn"});
}

// 20 distinct shapes: the stem, then per stage the first block's shortcut, reduce, 3x3 and expand and the
// later blocks' reduce; conv2's shortcut (64 -> 256, 1x1, 8x8) is the same shape as its expand.
TEST_CASE("the spec's convolutions: 53 of them, strides where Keras puts them, 20 distinct shapes", "[resnet]") {
    const ResNetSpec s = resnet50_spec(ResNetConfig{}, 64);
    CHECK(s.blocks.size() == 16);
    CHECK(s.stem.conv.kernel == 7);
    CHECK(s.stem.conv.stride == 2);
    CHECK(s.stem.conv.pad == 3);
    CHECK(s.features == 2048);
    CHECK(s.feature_pixels == 1);
    CHECK(s.blocks[3].reduce.conv.stride == 2);  // conv3_block1
    CHECK(s.blocks[3].shortcut.conv.stride == 2);
    CHECK(s.blocks[3].conv.conv.stride == 1);
    CHECK(s.blocks[0].reduce.conv.stride == 1);  // conv2_block1
    std::size_t convs = 1;
    for (const BlockSpec& b : s.blocks) convs += b.projection ? 4 : 3;
    CHECK(convs == 53);
    CHECK(resnet50_conv_shapes(ResNetConfig{}, 64).size() == 20);
    CHECK_THROWS_WITH(resnet50_spec(ResNetConfig{16, 100, 1}, 1), Catch::Contains("image size 16"));
    CHECK_THROWS_WITH(resnet50_spec(ResNetConfig{32, 100, 3}, 1), Catch::Contains("width divisor 3"));
}

TEST_CASE("the narrow ResNet divides every channel count", "[resnet]") {
    const ResNetSpec s = resnet50_spec(ResNetConfig{32, 10, 8}, 2);
    CHECK(s.stem.conv.out_channels == 8);
    CHECK(s.features == 256);
    CHECK(s.blocks.back().expand.conv.out_channels == 256);
    CHECK(s.blocks.back().conv.conv.in_channels == 64);
}

TEST_CASE("the parameter arenas hold every Keras tensor once; initialisation is Keras's, seeded", "[resnet]") {
    const ParameterLayout layout(resnet50_spec(ResNetConfig{}, 1));
    CHECK(layout.trainable_size() == 23739492);
    CHECK(layout.state_size() == 53120);
    std::set<std::string> names;
    for (const ParamTensor& t : layout.tensors()) names.insert(t.name);
    CHECK(names.size() == layout.tensors().size());
    CHECK(names.count("conv1_conv_kernel") == 1);
    CHECK(names.count("conv5_block3_3_bn_moving_variance") == 1);
    CHECK(layout.find("predictions_kernel").keras_shape == std::vector<std::size_t>{2048, 100});
    CHECK(layout.find("conv1_conv_kernel").keras_shape == std::vector<std::size_t>{7, 7, 3, 64});
    CHECK_THROWS_WITH(layout.find("conv9_conv_kernel"), Catch::Contains("no tensor named conv9_conv_kernel"));

    std::vector<float> a, state, b, unused;
    initialize_parameters(layout, 7, a, state);
    initialize_parameters(layout, 7, b, unused);
    CHECK(a == b);
    initialize_parameters(layout, 8, b, unused);
    CHECK(a != b);
    for (const ParamTensor& t : layout.tensors()) {
        const float* v = (t.trainable() ? a.data() : state.data()) + t.offset;
        double lo = 1e9, hi = -1e9;
        for (std::size_t i = 0; i < t.size; ++i) lo = std::min(lo, double(v[i])), hi = std::max(hi, double(v[i]));
        INFO(t.name);
        if (t.role == TensorRole::ConvKernel || t.role == TensorRole::DenseKernel) {
            const auto& d = t.keras_shape;
            const double field = d.size() == 4 ? double(d[0] * d[1]) : 1.0;
            const double limit = std::sqrt(6.0 / (field * double(d[d.size() - 2]) + field * double(d.back())));
            CHECK(lo >= -limit * (1 + 1e-7));  // float rounding of values drawn in double
            CHECK(hi <= limit * (1 + 1e-7));
            CHECK(hi - lo > 1.5 * limit);  // spread over the interval, not a constant
        } else {
            const double want = t.role == TensorRole::Gamma || t.role == TensorRole::MovingVariance ? 1.0 : 0.0;
            CHECK(lo == want);
            CHECK(hi == want);
        }
    }
}
