// sgd: one SGD step with momentum over ResNet-50's 23.7 million trainable parameters (one arena, one launch).
// Work: reads x, g, velocity and writes x, velocity: 20 bytes per parameter.
#include "../bench.hpp"
#include "nst/resnet.hpp"

namespace nst::bench {

void register_sgd(const Target& t) {
    const std::size_t n = static_cast<std::size_t>(resnet50_parameter_count(ResNetConfig{}).trainable);
    const Device device = t.device;
    add(t.name("sgd", "resnet50_parameters", "momentum"), [=](benchmark::State& st) {
        OpBackend& b = backend(device);
        Buffer x = random_buffer(b, n), g = random_buffer(b, n), v = random_buffer(b, n);
        time_op(st, b, [&] { b.sgd_step(x.data(), g.data(), v.data(), n, 1e-3f, 0.9f); }, 20.0 * double(n), Work::Bytes);
    });
}

}  // namespace nst::bench
