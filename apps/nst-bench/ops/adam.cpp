// adam: one Adam step over the image. Work: reads x, g, m, v and writes x, m, v: 28 bytes per element.
#include "../bench.hpp"

namespace nst::bench {

void register_adam(const Target& t) {
    const std::size_t n = std::size_t(3) * t.input_px * t.input_px;
    const Device device = t.device;
    add(t.name("adam", t.shape("image")), [=](benchmark::State& st) {
        Backend& b = backend(device);
        Buffer x = random_buffer(b, n), g = random_buffer(b, n), m = random_buffer(b, n), v = b.allocate(n);
        b.fill(v.data(), n, 1.0f);
        int step = 1;
        time_op(st, b, [&] { b.adam_step(x.data(), g.data(), m.data(), v.data(), n, step++, AdamParams{}); }, 28.0 * n,
                Work::Bytes);
    });
}

}  // namespace nst::bench
