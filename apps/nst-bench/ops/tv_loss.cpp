// tv_loss: total variation of the image and its gradient. Work: reads x twice (the value, then the
// gradient), reads and writes dx: 16 bytes per element.
#include "../bench.hpp"

namespace nst::bench {

void register_tv_loss(const Target& t) {
    const int side = t.input_px;
    const std::size_t n = std::size_t(3) * side * side;
    const Device device = t.device;
    add(t.name("tv_loss", t.shape("image")), [=](benchmark::State& st) {
        OpBackend& b = backend(device);
        Buffer x = random_buffer(b, n), loss = b.allocate(1), dx = random_buffer(b, n);
        time_op(st, b, [&] { b.tv_loss(1, 3, side, side, x.data(), 1e-3f, loss.data(), dx.data()); }, 16.0 * n,
                Work::Bytes);
    });
}

}  // namespace nst::bench
