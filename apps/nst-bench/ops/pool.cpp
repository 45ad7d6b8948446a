// pool: 2x2/stride-2 'SAME' pooling, average and max, forward and backward, at pool1..pool4's inputs, and at
// pool1 with an odd side (CUDA: libnst's kernels instead of cuDNN). Work: forward reads x and writes y
// (5 floats per 4 inputs); backward reads x, y, dy and writes dx (about 2.5 floats per input, 10 bytes).
#include "../bench.hpp"

namespace nst::bench {

namespace {

void register_shape(const Target& t, const std::string& shape, int channels, int side, PoolMode mode) {
    const PoolShape s{1, channels, side, side, mode};
    const std::size_t xs = std::size_t(channels) * side * side,
                      ys = std::size_t(channels) * s.out_height() * s.out_width();
    const std::string m = mode == PoolMode::Max ? "max" : "avg";
    const Device device = t.device;
    add(t.name("pool", shape, m + "_forward"), [=](benchmark::State& st) {
        OpBackend& b = backend(device);
        Buffer x = random_buffer(b, xs), y = b.allocate(ys);
        time_op(st, b, [&] { b.pool_forward(s, x.data(), y.data()); }, 4.0 * double(xs + ys), Work::Bytes);
    });
    add(t.name("pool", shape, m + "_backward"), [=](benchmark::State& st) {
        OpBackend& b = backend(device);
        Buffer x = random_buffer(b, xs), y = b.allocate(ys), dy = random_buffer(b, ys), dx = b.allocate(xs);
        b.pool_forward(s, x.data(), y.data());
        time_op(st, b, [&] { b.pool_backward(s, x.data(), y.data(), dy.data(), dx.data()); }, 4.0 * double(2 * xs + 2 * ys),
                Work::Bytes);
    });
}

}  // namespace

void register_pool(const Target& t) {
    const ConvLayer* inputs[] = {&kConvLayers[1], &kConvLayers[3], &kConvLayers[5], &kConvLayers[7]};  // conv1_2 ...
    const char* names[] = {"pool1", "pool2", "pool3", "pool4"};
    for (PoolMode mode : {PoolMode::Average, PoolMode::Max}) {
        for (int i = 0; i < 4; ++i)
            register_shape(t, t.shape(names[i]), inputs[i]->out, side_at(inputs[i]->side512, t.input_px), mode);
        register_shape(t, "pool1_" + std::to_string(t.input_px - 1) + "px", 64, t.input_px - 1, mode);  // odd
    }
}

}  // namespace nst::bench
