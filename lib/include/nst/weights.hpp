// VGG-19 weights: MatConvNet's imagenet-vgg-verydeep-19.mat (both layouts), the built-in random VGG-19,
// and a writer of files in MatConvNet's layout (test fixtures, or the random network for other tools).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace nst {

enum class LayerKind { Conv, Relu, Pool };

// One layer of VGG-19's convolutional part as MatConvNet names it; mat_index is its 0-based position in
// the file's `layers` cell (and the notebook's layer number).
struct Vgg19Layer {
    std::string name;
    LayerKind kind;
    int mat_index;
    int out_channels;  // VGG-19's channels after this layer
};

// conv1_1 (0) ... pool5 (36): 16 convolutions, each followed by its ReLU, and 5 poolings.
const std::vector<Vgg19Layer>& vgg19_layers();

// Position in vgg19_layers() of a layer name (conv3_1, relu3_1, pool3). Throws nst::Error naming the
// unknown name and listing the valid ones.
int vgg19_layer_position(const std::string& name);

// One 3x3 convolution, in the layout both backends use.
struct ConvWeights {
    std::string name;  // conv1_1 ...
    int in_channels = 0;
    int out_channels = 0;
    std::vector<float> filters;  // out x in x 3 x 3 (KCRS, row-major): [o][i][row][col]
    std::vector<float> bias;     // out
};

struct VggWeights {
    std::string source;               // the file, or "random:SEED"
    bool random = false;              // the built-in untrained network
    std::array<float, 3> mean_rgb{};  // subtracted from 0..255 RGB input
    std::vector<ConvWeights> convs;   // conv1_1, conv1_2, ... up to the deepest one requested
};

// The ImageNet mean pixel of MatConvNet's VGG models (RGB), also the built-in network's.
constexpr std::array<float, 3> kVggMeanRgb{123.68f, 116.779f, 103.939f};

// Loads the convolutions up to the one that `deepest` (any layer name) needs from a MatConvNet file:
// either layout, compressed or not, MAT v5 or v7.3. Validates every shape it loads; throws nst::Error with
// a one-line message naming the file, the layer, what was expected and what was found.
VggWeights load_vgg19_mat(const std::string& path, const std::string& deepest = "relu5_4");

// The built-in VGG-19 with He-initialised weights (normal, std sqrt(2 / (9 * in_channels)), zero bias)
// from a counter-based generator: the same seed gives the same network on every run. channel_divisor > 1
// gives a narrower network (tests). Untrained: style transfer with it gives texture-like results.
VggWeights random_vgg19(std::uint64_t seed, const std::string& deepest = "relu5_4", int channel_divisor = 1);

// A --weights value: "random" or "random:SEED" (the built-in network, seed 0 by default) or the path of a
// MatConvNet file. Throws nst::Error for a malformed seed or a bad file.
VggWeights load_weights(const std::string& spec, const std::string& deepest = "relu5_4");

// What `nst weights info` prints.
struct MatLayerSummary {
    int index = 0;
    std::string name;
    std::string type;    // conv, relu, pool, softmax, ...
    std::string detail;  // conv: "3x3x64x128 + 128 single"; pool: "max 2x2 stride 2"; else ""
};
struct WeightsFileInfo {
    std::string path;
    std::string container;  // "MAT v5, compressed" | "MAT v5, uncompressed" | "MAT v7.3 (HDF5)"
    std::string
        layout;  // "new (MatConvNet beta17+: layers, meta)" | "old (MatConvNet beta16: layers, classes, normalization)"
    std::vector<MatLayerSummary> layers;
    std::array<float, 3> mean_rgb{};
    std::string mean_source;  // where the mean pixel came from, with its shape
    std::string network;      // "VGG-19 channels" | "VGG-19 channels / 8" | "custom channels"
    // Why load_vgg19_mat (and so nst transfer) would refuse the file, from the same structural check it makes
    // before reading any value (layers, filter shapes, the channel chain, biases, data classes); "" when none.
    // Values (finiteness) are checked only by loading them: `nst weights info --check`.
    std::string problem;
};
WeightsFileInfo inspect_weights_file(const std::string& path);
std::string format_weights_info(const WeightsFileInfo& info);

// Writes `weights` (all 16 convolutions) as MatConvNet would: the new layout (layers 1x43 + meta) or the
// old one (layers + classes + normalization), zlib-compressed MAT v5, uncompressed v5, or v7.3. The fully
// connected layers fc6-fc8 are written with seeded random weights and their channels divided by
// fc_channel_divisor (the loader never reads them; full size would be 500 MB). Atomic: temp file + rename.
enum class MatLayout { New, Old };
enum class MatContainer { V5Compressed, V5Uncompressed, V73 };
struct MatWriteOptions {
    MatLayout layout = MatLayout::New;
    MatContainer container = MatContainer::V5Compressed;
    int fc_channel_divisor = 64;
    std::uint64_t fc_seed = 1;
};
void write_vgg19_mat(const std::string& path, const VggWeights& weights, const MatWriteOptions& options = {});

}  // namespace nst
