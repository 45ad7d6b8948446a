#include "bench.hpp"

#include "nst/resnet.hpp"

#include <memory>
#include <utility>
#include <vector>

namespace nst::bench {

const ConvLayer kConvLayers[9] = {{"conv1_1", 3, 64, 512},    {"conv1_2", 64, 64, 512},   {"conv2_1", 64, 128, 256},
                                  {"conv2_2", 128, 128, 256}, {"conv3_1", 128, 256, 128}, {"conv3_2", 256, 256, 128},
                                  {"conv4_1", 256, 512, 64},  {"conv4_2", 512, 512, 64},  {"conv5_1", 512, 512, 32}};
const FeatureLayer kStyleLayers[5] = {
    {"relu1_1", 64, 512}, {"relu2_1", 128, 256}, {"relu3_1", 256, 128}, {"relu4_1", 512, 64}, {"relu5_1", 512, 32}};
const FeatureLayer kContentLayer = {"relu4_2", 512, 64};

std::vector<ResNetConv> resnet_convs(int batch) {
    const ResNetSpec spec = resnet50_spec(ResNetConfig{}, batch);
    std::vector<ResNetConv> convs;
    // resnet50_conv_shapes gives each distinct shape once, in order of first use; name it after that layer.
    for (const ConvShape& s : resnet50_conv_shapes(ResNetConfig{}, batch))
        for (const ConvBnSpec* c : conv_bn_layers(spec)) {
            const ConvShape& b = c->conv;
            if (s.in_channels == b.in_channels && s.out_channels == b.out_channels && s.height == b.height &&
                s.kernel == b.kernel && s.stride == b.stride) {
                convs.push_back({c->name, s});
                break;
            }
        }
    return convs;
}

std::string resnet_shape(const std::string& layer, int batch) {
    return layer + "_b" + std::to_string(batch);
}

OpBackend& backend(Device device, Precision precision, GramMethod gram, bool autotune) {
    static std::vector<std::pair<std::string, std::unique_ptr<OpBackend>>> cache;
    const std::string key = std::to_string(int(device)) + "/" + std::to_string(int(precision)) + "/" +
                            std::to_string(int(gram)) + "/" + std::to_string(int(autotune));
    for (auto& [k, b] : cache)
        if (k == key) return *b;
    BackendOptions o;
    o.precision = precision;
    o.gram = gram;
    o.autotune = autotune;
    cache.emplace_back(key, make_op_backend(device, o));
    return *cache.back().second;
}

Buffer random_buffer(OpBackend& b, std::size_t n) {
    Buffer buf = b.allocate(n);
    std::vector<float> host(n);
    for (std::size_t i = 0; i < n; ++i) host[i] = static_cast<float>((i * 2654435761u) % 1000) / 500.0f - 1.0f;
    b.upload(host.data(), buf.data(), n);
    return buf;
}

void time_op(benchmark::State& state, OpBackend& b, const std::function<void()>& op, double work_per_run, Work work) {
    op();  // warm-up: algorithm choice, lazily created descriptors
    b.synchronize();
    for (auto _ : state) {
        b.flush_cache();
        state.SetIterationTime(b.time_ms(op) / 1e3);
    }
    // Achieved rate = work / time, from the manual (backend-measured) times.
    const bool flop = work == Work::Flop;
    state.counters[flop ? "TFLOP" : "GB"] =
        benchmark::Counter(work_per_run / (flop ? 1e12 : 1e9), benchmark::Counter::kIsIterationInvariantRate);
}

void add(const std::string& name, std::function<void(benchmark::State&)> fn) {
    benchmark::RegisterBenchmark(name.c_str(), std::move(fn))->UseManualTime()->Unit(benchmark::kMillisecond);
}

std::string Target::name(const char* op, const std::string& shape, const std::string& variant) const {
    return prefix + "/" + op + "/" + shape + (variant.empty() ? "" : "/" + variant);
}

std::string Target::shape(const char* layer) const {
    return std::string(layer) + "_" + std::to_string(input_px) + "px";
}

}  // namespace nst::bench
