// temporal_loss: the video's temporal term and its gradient. Work: reads x, w and the mask twice (the value,
// then the gradient; the mask once per channel), reads and writes dx: 32 bytes per element (the mask's share
// counted as a full float).
#include "../bench.hpp"

namespace nst::bench {

void register_temporal_loss(const Target& t) {
    const int side = t.input_px;
    const std::int64_t pixels = std::int64_t(side) * side;
    const std::size_t n = std::size_t(3) * static_cast<std::size_t>(pixels);
    const Device device = t.device;
    add(t.name("temporal_loss", t.shape("image")), [=](benchmark::State& st) {
        OpBackend& b = backend(device);
        Buffer x = random_buffer(b, n), w = random_buffer(b, n), c = b.allocate(static_cast<std::size_t>(pixels));
        Buffer loss = b.allocate(1), dx = random_buffer(b, n);
        b.fill(c.data(), c.size(), 1.0f);
        time_op(
            st, b, [&] { b.temporal_loss(3, pixels, x.data(), w.data(), c.data(), 0.5f, loss.data(), dx.data()); },
            32.0 * n, Work::Bytes);
    });
}

}  // namespace nst::bench
