// VGG-19 tile by tile with shared outputs (tiled_network.hpp).
#include "transfer/tiled_network.hpp"

#include <algorithm>

#include "nst/error.hpp"

namespace nst {

namespace {

// Per stage, the largest output over every crop shape of the plans; *input: the largest crop in floats.
std::vector<std::size_t> storage_sizes(const VggWeights& w, PoolMode pool, const std::string& last,
                                       const std::vector<const TilePlan*>& plans, std::size_t* input) {
    std::vector<std::size_t> sizes;
    *input = 0;
    for (const TilePlan* p : plans)
        for (const auto& [h, wd] : crop_shapes(*p)) {
            *input = std::max(*input, std::size_t(3) * h * wd);
            const std::vector<Stage> stages = vgg_stages(w, pool, h, wd, last);
            sizes.resize(stages.size(), 0);
            for (std::size_t i = 0; i < stages.size(); ++i) sizes[i] = std::max(sizes[i], stages[i].size());
        }
    return sizes;
}

}  // namespace

TiledNetworkBytes TiledNetwork::bytes(const OpBackend& backend, const VggWeights& w, PoolMode pool,
                                      const std::string& last, const std::vector<const TilePlan*>& plans) {
    TiledNetworkBytes b;
    std::size_t input = 0;
    for (std::size_t s : storage_sizes(w, pool, last, plans, &input)) {
        b.outputs += s * sizeof(float);
        b.largest = std::max(b.largest, s * sizeof(float));
    }
    b.input = input * sizeof(float);
    b.largest = std::max(b.largest, b.input);
    for (const TilePlan* p : plans)
        for (const auto& [h, wd] : crop_shapes(*p))
            for (const Stage& s : vgg_stages(w, pool, h, wd, last))
                if (s.conv) b.conv_scratch = std::max(b.conv_scratch, backend.conv_memory(s.conv_shape));
    return b;
}

TiledNetwork::TiledNetwork(OpBackend& backend, const DeviceWeights& device_weights, const VggWeights& weights,
                           PoolMode pool, const std::string& last, const std::vector<const TilePlan*>& plans)
    : backend_(backend) {
    std::size_t input = 0;
    for (std::size_t s : storage_sizes(weights, pool, last, plans, &input)) {
        storage_.push_back(backend_.allocate(s));
        largest_ = std::max(largest_, s);
    }
    input_ = backend_.allocate(input);
    largest_ = std::max(largest_, input);
    for (const TilePlan* p : plans)
        for (const auto& [h, wd] : crop_shapes(*p)) {
            auto& net = networks_[{h, wd}];
            if (net) continue;
            std::vector<Stage> stages = vgg_stages(weights, pool, h, wd, last);
            if (scales_.empty()) scales_ = stage_scales(stages);
            net = std::make_unique<VggNetwork>(backend_, device_weights, std::move(stages), storage_);
        }
}

VggNetwork& TiledNetwork::network(const Tile& tile) {
    const auto it = networks_.find({tile.crop.height, tile.crop.width});
    if (it == networks_.end())
        throw Error("TiledNetwork: no network for a " + std::to_string(tile.crop.height) + "x" +
                    std::to_string(tile.crop.width) + " crop");
    return *it->second;
}

std::size_t TiledNetwork::activation_size(const VggWeights& w, PoolMode pool, const std::string& last,
                                          const Tile& tile) {
    std::size_t n = 0;
    for (const Stage& s : vgg_stages(w, pool, tile.crop.height, tile.crop.width, last)) n += s.size();
    return n;
}

void TiledNetwork::keep(const Tile& tile, float* kept) {
    const VggNetwork& net = network(tile);
    for (int k = 0; k < net.stage_count(); ++k) {
        backend_.copy(net.output(k), kept, net.stage(k).size());
        kept += net.stage(k).size();
    }
}

VggNetwork& TiledNetwork::restore(const Tile& tile, const float* kept) {
    VggNetwork& net = network(tile);
    for (int k = 0; k < net.stage_count(); ++k) {
        backend_.copy(kept, net.output(k), net.stage(k).size());
        kept += net.stage(k).size();
    }
    return net;
}

VggNetwork& TiledNetwork::forward(const TilePlan& plan, const Tile& tile, const float* x) {
    VggNetwork& net = network(tile);
    backend_.crop_forward(3, plan.height, plan.width, tile.crop, x, input_.data());
    net.forward(input_.data());
    return net;
}

}  // namespace nst
