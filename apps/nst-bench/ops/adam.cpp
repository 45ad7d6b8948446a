// adam: one Adam step over the image, and over ResNet-50's 23.7 million trainable parameters (training's
// multi-tensor step: one arena, one launch). Work: reads x, g, m, v and writes x, m, v: 28 bytes per element.
#include "../bench.hpp"
#include "nst/resnet.hpp"

namespace nst::bench {

namespace {

void register_adam_over(const Target& t, const std::string& shape, std::size_t n) {
    const Device device = t.device;
    add(t.name("adam", shape), [=](benchmark::State& st) {
        OpBackend& b = backend(device);
        Buffer x = random_buffer(b, n), g = random_buffer(b, n), m = random_buffer(b, n), v = b.allocate(n);
        b.fill(v.data(), n, 1.0f);
        int step = 1;
        time_op(st, b, [&] { b.adam_step(x.data(), g.data(), m.data(), v.data(), n, step++, AdamParams{}); }, 28.0 * n,
                Work::Bytes);
    });
}

}  // namespace

void register_adam(const Target& t) {
    register_adam_over(t, t.shape("image"), std::size_t(3) * t.input_px * t.input_px);
    register_adam_over(t, "resnet50_parameters",
                       static_cast<std::size_t>(resnet50_parameter_count(ResNetConfig{}).trainable));
}

}  // namespace nst::bench
