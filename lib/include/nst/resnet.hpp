// Keras's ResNet-50 (v1, keras/applications/resnet.py) as libnst trains it on CIFAR-sized images: the
// architecture, layer by layer with Keras's names, output shapes and parameter counts. The runtime that
// trains it is nst/train.hpp.
//
//   input N x 3 x S x S (0..255 pixels) → conv1: 7x7/2, pad 3, 64 → BN → ReLU → max pool 3x3/2, pad 1
//   → conv2..conv5: 3, 4, 6, 3 bottleneck blocks of 64, 128, 256, 512 filters (output 4x as many); each
//     block: 1x1 (stride s) → BN → ReLU → 3x3 → BN → ReLU → 1x1 → BN, plus the shortcut (the first block of
//     a stage: a 1x1 projection with stride s + BN; s = 1 in conv2, 2 after), → ReLU
//   → global average pool → dense (classes) → softmax.
// Every convolution has a bias. width_divisor > 1 divides every channel count (the narrow network the
// whole-network gradient test uses).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nst/op_params.hpp"

namespace nst {

struct ResNetConfig {
    int image_size = 32;  // square RGB inputs (CIFAR-100: 32)
    int classes = 100;
    int width_divisor = 1;
};

// A convolution and the batch normalisation after it: Keras's "<name>_conv" and "<name>_bn" (conv1,
// conv2_block1_0 ... conv5_block3_3), with its ReLU ("<name>_relu") when `relu`.
struct ConvBnSpec {
    std::string name;
    ConvShape conv;  // at the spec's batch
    bool relu = true;
};

struct BlockSpec {
    std::string name;             // conv2_block1 ...
    bool projection = false;      // the first block of a stage: shortcut = _0_conv + _0_bn
    ConvBnSpec shortcut;          // valid when projection
    ConvBnSpec reduce, conv, expand;  // _1 (1x1, the stride), _2 (3x3), _3 (1x1, no ReLU)
};

struct ResNetSpec {
    ResNetConfig config;
    int batch = 1;
    ConvBnSpec stem;        // conv1
    MaxPoolShape pool;      // pool1
    std::vector<BlockSpec> blocks;
    int features = 0;       // channels into the global average pool (2048 at full width)
    int feature_pixels = 0; // pixels per channel there (1 at 32x32)
};

// Every convolution + batch normalisation in the order Keras creates them: conv1, then per block its
// shortcut (projection blocks), _1, _2, _3. Pointers into `spec`.
std::vector<const ConvBnSpec*> conv_bn_layers(const ResNetSpec& spec);

// Throws nst::Error when the configuration cannot be built (image size below 32 or above 1024, classes
// below 2, a divisor that does not divide 64).
ResNetSpec resnet50_spec(const ResNetConfig& config, int batch);

// Every distinct convolution shape of the network at this batch, in order of first use.
std::vector<ConvShape> resnet50_conv_shapes(const ResNetConfig& config, int batch);

// One row of Keras's model.summary().
struct KerasLayer {
    std::string name;
    std::string type;       // Conv2D, BatchNormalization, ...
    std::vector<int> shape; // the output without the batch: H, W, C (channels last, as Keras prints it)
    std::int64_t params = 0;
    std::int64_t non_trainable = 0;  // BatchNormalization's moving mean and variance
    std::vector<std::string> inputs;
};

// The layers in Keras's order (input_1, conv1_pad, conv1_conv, ..., avg_pool, predictions).
std::vector<KerasLayer> resnet50_keras_layers(const ResNetConfig& config);

struct ParameterCount {
    std::int64_t total = 0;
    std::int64_t trainable = 0;
    std::int64_t non_trainable = 0;
};
// 23,792,612 / 23,739,492 / 53,120 for the notebook's network (32x32, 100 classes).
ParameterCount resnet50_parameter_count(const ResNetConfig& config);

// 23792612 -> "23,792,612", as Keras prints counts.
std::string with_thousands_separators(std::int64_t value);

// The table model.summary() prints, with the totals last.
std::string resnet50_summary(const ResNetConfig& config);

}  // namespace nst
