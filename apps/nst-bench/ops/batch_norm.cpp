// batch_norm: training forward (ReLU fused) and backward at each of ResNet-50's batch-normalisation shapes
// (one per distinct output of a convolution), and inference. Work: training forward reads x twice and writes
// y (12 bytes per element); backward reads x, y, dy and writes dx, twice over x, y and dy (about 28 bytes).
#include "../bench.hpp"

namespace nst::bench {

void register_batch_norm(const Target& t) {
    std::vector<std::string> seen;
    for (const ResNetConv& c : resnet_convs(t.train_batch)) {
        const BatchNormShape s{c.shape.batch, c.shape.out_channels, c.shape.out_height(), c.shape.out_width()};
        const std::string key = std::to_string(s.channels) + "x" + std::to_string(s.height);
        if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
        seen.push_back(key);
        const std::size_t n = s.size(), ch = std::size_t(s.channels);
        const std::string shape = resnet_shape(c.layer, s.batch);
        const Device device = t.device;
        BatchNormParams p;
        p.relu = true;
        add(t.name("batch_norm", shape, "training_forward"), [=](benchmark::State& st) {
            OpBackend& b = backend(device);
            Buffer x = random_buffer(b, n), g = random_buffer(b, ch), beta = random_buffer(b, ch), y = b.allocate(n),
                   m = b.allocate(ch), is = b.allocate(ch), mm = random_buffer(b, ch), mv = random_buffer(b, ch);
            time_op(st, b, [&] {
                b.batch_norm_forward_training(s, p, x.data(), g.data(), beta.data(), y.data(), m.data(), is.data(),
                                              mm.data(), mv.data());
            }, 12.0 * double(n), Work::Bytes);
        });
        add(t.name("batch_norm", shape, "backward"), [=](benchmark::State& st) {
            OpBackend& b = backend(device);
            Buffer x = random_buffer(b, n), y = random_buffer(b, n), dy = random_buffer(b, n), g = random_buffer(b, ch),
                   m = random_buffer(b, ch), is = random_buffer(b, ch), dx = b.allocate(n), dg = b.allocate(ch),
                   db = b.allocate(ch);
            time_op(st, b, [&] {
                b.batch_norm_backward(s, p, x.data(), y.data(), dy.data(), g.data(), m.data(), is.data(), dx.data(),
                                      dg.data(), db.data(), false);
            }, 28.0 * double(n), Work::Bytes);
        });
        add(t.name("batch_norm", shape, "inference"), [=](benchmark::State& st) {
            OpBackend& b = backend(device);
            Buffer x = random_buffer(b, n), g = random_buffer(b, ch), beta = random_buffer(b, ch), y = b.allocate(n),
                   mm = random_buffer(b, ch), mv = b.allocate(ch);
            b.fill(mv.data(), ch, 1.0f);
            time_op(st, b, [&] {
                b.batch_norm_forward_inference(s, p, x.data(), g.data(), beta.data(), mm.data(), mv.data(), y.data());
            }, 8.0 * double(n), Work::Bytes);
        });
    }
}

}  // namespace nst::bench
