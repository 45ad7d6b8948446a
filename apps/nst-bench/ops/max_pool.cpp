// max_pool: ResNet-50's pool1 (3x3, stride 2, pad 1 on the stem's 16x16 output) forward and backward. Work:
// forward reads x and writes y; backward reads x, y, dy and writes dx.
#include "../bench.hpp"

namespace nst::bench {

void register_max_pool(const Target& t) {
    const MaxPoolShape s{t.train_batch, 64, 16, 16, 3, 2, 1};
    const std::size_t xs = s.in_size(), ys = s.out_size();
    const Device device = t.device;
    add(t.name("max_pool", resnet_shape("pool1", s.batch), "forward"), [=](benchmark::State& st) {
        OpBackend& b = backend(device);
        Buffer x = random_buffer(b, xs), y = b.allocate(ys);
        time_op(st, b, [&] { b.max_pool_forward(s, x.data(), y.data()); }, 4.0 * double(xs + ys), Work::Bytes);
    });
    add(t.name("max_pool", resnet_shape("pool1", s.batch), "backward"), [=](benchmark::State& st) {
        OpBackend& b = backend(device);
        Buffer x = random_buffer(b, xs), y = b.allocate(ys), dy = random_buffer(b, ys), dx = b.allocate(xs);
        b.max_pool_forward(s, x.data(), y.data());
        time_op(st, b, [&] { b.max_pool_backward(s, x.data(), y.data(), dy.data(), dx.data()); },
                4.0 * double(2 * xs + 2 * ys), Work::Bytes);
    });
}

}  // namespace nst::bench
