// VGG-19 on a backend, cut after the deepest layer a transfer uses. Each stage is a 3x3 convolution with
// its bias and ReLU fused, or a 2x2 pooling; the forward pass keeps every stage's output, which is exactly
// what the backward pass needs (ReLU masks, pooling inputs and outputs) and nothing more. Private.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/op_backend.hpp"
#include "nst/weights.hpp"

namespace nst {

// The convolutions' filters and biases, uploaded to a backend once.
struct DeviceWeights {
    std::vector<Buffer> filters;
    std::vector<Buffer> biases;
};
// The first `count` convolutions' (all by default): a network cut at relu5_1 needs 13 of the 16.
DeviceWeights upload_weights(OpBackend& backend, const VggWeights& weights, std::size_t count = SIZE_MAX);

struct Stage {
    std::string name;  // the output's name: reluB_K for a convolution, poolB for a pooling
    bool conv = true;
    ConvShape conv_shape;
    PoolShape pool_shape;
    int conv_index = -1;                      // into VggWeights::convs / DeviceWeights
    int batch = 1;                            // images through the network at once
    int channels = 0, height = 0, width = 0;  // output, per image
    std::size_t per_image() const noexcept { return std::size_t(channels) * height * width; }
    std::size_t size() const noexcept { return std::size_t(batch) * per_image(); }
};

// The stages of VGG-19 from conv1_1 through `last` (a canonical name: reluB_K or poolB) for an input of
// height x width, `batch` images at once. Throws nst::Error if the weights do not reach that far.
std::vector<Stage> vgg_stages(const VggWeights& weights, PoolMode pool, int height, int width, const std::string& last,
                              int batch = 1);

class VggNetwork {
public:
    // Allocates every stage's output and prepares every convolution shape on the backend.
    VggNetwork(OpBackend& backend, const DeviceWeights& weights, std::vector<Stage> stages);
    // The same with stage i's output in storage[i] (at least stage i's size, owned by the caller): the
    // networks of a tiled transfer's crop shapes share one set of outputs.
    VggNetwork(OpBackend& backend, const DeviceWeights& weights, std::vector<Stage> stages,
               const std::vector<Buffer>& storage);

    // image: batch x 3 x H x W on the backend.
    void forward(const float* image);

    const std::vector<Stage>& stages() const noexcept { return stages_; }
    int stage_count() const noexcept { return static_cast<int>(stages_.size()); }
    const Stage& stage(int i) const { return stages_[static_cast<std::size_t>(i)]; }
    int find(const std::string& canonical_name) const;  // -1 if absent
    float* output(int i) const { return outputs_[static_cast<std::size_t>(i)]; }
    std::size_t largest_output() const noexcept;

    // dL/d(input of stage i) into `grad_in` from dL/d(output of stage i) in `grad_out` (which the ReLU
    // backward overwrites). `input` is what stage i read in the last forward().
    void backward_stage(int i, const float* input, float* grad_out, float* grad_in);

private:
    OpBackend& backend_;
    const DeviceWeights& weights_;
    void prepare();

    std::vector<Stage> stages_;
    std::vector<Buffer> owned_;   // the outputs, when this network allocated them
    std::vector<float*> outputs_;
};

}  // namespace nst
