// relu: ReLU backward over each style layer's feature map. Work: reads y and dy, writes dx (12 bytes each).
#include "../bench.hpp"

namespace nst::bench {

void register_relu(const Target& t) {
    for (const FeatureLayer& l : kStyleLayers) {
        const int side = side_at(l.side512, t.input_px);
        const std::size_t n = std::size_t(l.channels) * side * side;
        const Device device = t.device;
        add(t.name("relu", t.shape(l.name), "backward"), [=](benchmark::State& st) {
            OpBackend& b = backend(device);
            Buffer y = random_buffer(b, n), dy = random_buffer(b, n), dx = b.allocate(n);
            time_op(st, b, [&] { b.relu_backward(y.data(), dy.data(), dx.data(), n); }, 12.0 * n, Work::Bytes);
        });
    }
}

}  // namespace nst::bench
