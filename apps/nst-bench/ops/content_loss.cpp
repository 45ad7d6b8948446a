// content_loss: the content loss and its gradient at relu4_2. Work: reads F and P twice (the value, then the
// gradient) and writes dF: 20 bytes per element.
#include "../bench.hpp"

namespace nst::bench {

void register_content_loss(const Target& t) {
    const int side = side_at(kContentLayer.side512, t.input_px), C = kContentLayer.channels;
    const std::int64_t M = std::int64_t(side) * side;
    const std::size_t n = std::size_t(C) * M;
    const Device device = t.device;
    add(t.name("content_loss", t.shape(kContentLayer.name)), [=](benchmark::State& st) {
        OpBackend& b = backend(device);
        Buffer F = random_buffer(b, n), P = random_buffer(b, n), loss = b.allocate(1), dF = b.allocate(n);
        time_op(st, b, [&] { b.content_loss(F.data(), P.data(), C, M, 5.0f, loss.data(), dF.data(), false); }, 20.0 * n,
                Work::Bytes);
    });
}

}  // namespace nst::bench
