// reduce: the deterministic reductions over relu1_1's feature map. Work: the floats read (4 or 8 bytes per
// element).
#include "../bench.hpp"

namespace nst::bench {

void register_reduce(const Target& t) {
    const int side = side_at(kStyleLayers[0].side512, t.input_px);
    const std::size_t n = std::size_t(kStyleLayers[0].channels) * side * side;
    const std::string shape = t.shape(kStyleLayers[0].name);
    const Device device = t.device;
    add(t.name("reduce", shape, "squared_difference_sum"), [=](benchmark::State& st) {
        OpBackend& b = backend(device);
        Buffer a = random_buffer(b, n), c = random_buffer(b, n), out = b.allocate(1);
        time_op(st, b, [&] { b.squared_difference_sum(a.data(), c.data(), n, out.data()); }, 8.0 * n, Work::Bytes);
    });
    add(t.name("reduce", shape, "sum"), [=](benchmark::State& st) {
        OpBackend& b = backend(device);
        Buffer a = random_buffer(b, n), out = b.allocate(1);
        time_op(st, b, [&] { b.sum(a.data(), n, out.data()); }, 4.0 * n, Work::Bytes);
    });
    add(t.name("reduce", shape, "dot"), [=](benchmark::State& st) {
        OpBackend& b = backend(device);
        Buffer a = random_buffer(b, n), c = random_buffer(b, n), out = b.allocate(1);
        time_op(st, b, [&] { b.dot(a.data(), c.data(), n, out.data()); }, 8.0 * n, Work::Bytes);
    });
}

}  // namespace nst::bench
