// VGG-19 run tile by tile (tiling.hpp): one network per crop shape of the plans it serves, all sharing one
// set of stage outputs sized for the largest crop, and one crop input. Private to libnst.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "transfer/tiling.hpp"
#include "transfer/vgg_network.hpp"

namespace nst {

// What a TiledNetwork allocates, for the memory estimate: the shared outputs, the crop input, the largest
// stage output or crop input (the gradient buffers' size), and the backend's largest convolution scratch.
struct TiledNetworkBytes {
    std::size_t outputs = 0, input = 0, largest = 0, conv_scratch = 0;
};

class TiledNetwork {
public:
    // Networks through `last` for every crop shape of `plans`, their outputs allocated once.
    TiledNetwork(OpBackend& backend, const DeviceWeights& device_weights, const VggWeights& weights, PoolMode pool,
                 const std::string& last, const std::vector<const TilePlan*>& plans);
    static TiledNetworkBytes bytes(const OpBackend& backend, const VggWeights& weights, PoolMode pool,
                                   const std::string& last, const std::vector<const TilePlan*>& plans);
    // Floats of every stage output of the network for one tile's crop: what keeping its activations takes.
    static std::size_t activation_size(const VggWeights& weights, PoolMode pool, const std::string& last,
                                       const Tile& tile);
    // Copies every stage output of the tile's network (current after its forward) into `kept`
    // (activation_size floats), and back: a kept tile's backward pass needs no second forward.
    void keep(const Tile& tile, float* kept);
    VggNetwork& restore(const Tile& tile, const float* kept);

    // Copies tile's crop out of x (3 x plan.height x plan.width) into the crop input and runs the crop's network
    // forward. The network and its outputs stay valid until the next forward().
    VggNetwork& forward(const TilePlan& plan, const Tile& tile, const float* x);
    VggNetwork& network(const Tile& tile);
    const float* input() const noexcept { return input_.data(); }
    // The largest stage output or crop input, in floats.
    std::size_t largest() const noexcept { return largest_; }
    // Stage k's scale (image pixels per output pixel).
    int scale(int k) const { return scales_[static_cast<std::size_t>(k)]; }

private:
    OpBackend& backend_;
    std::vector<Buffer> storage_;
    Buffer input_;
    std::size_t largest_ = 0;
    std::vector<int> scales_;
    std::map<std::pair<int, int>, std::unique_ptr<VggNetwork>> networks_;  // by crop (height, width)
};

}  // namespace nst
