// global_avg_pool: ResNet-50's avg_pool (2048 channels of 1x1 at 32x32 inputs) and, for scale, conv4's 2x2
// output, forward and backward. Work: bytes read and written.
#include "../bench.hpp"

namespace nst::bench {

void register_global_avg_pool(const Target& t) {
    const int B = t.train_batch;
    const Device device = t.device;
    for (auto [layer, c, p] : {std::tuple{"avg_pool", 2048, 1}, std::tuple{"conv4_block6_out", 1024, 4}}) {
        const int channels = c, pixels = p;  // lambdas cannot capture structured bindings in C++17
        const std::size_t planes = std::size_t(B) * channels, n = planes * pixels;
        add(t.name("global_avg_pool", resnet_shape(layer, B), "forward"), [=](benchmark::State& st) {
            OpBackend& b = backend(device);
            Buffer x = random_buffer(b, n), y = b.allocate(planes);
            time_op(st, b, [&] { b.global_avg_pool_forward(B, channels, pixels, x.data(), y.data()); },
                    4.0 * double(n + planes), Work::Bytes);
        });
        add(t.name("global_avg_pool", resnet_shape(layer, B), "backward"), [=](benchmark::State& st) {
            OpBackend& b = backend(device);
            Buffer dy = random_buffer(b, planes), dx = b.allocate(n);
            time_op(st, b, [&] { b.global_avg_pool_backward(B, channels, pixels, dy.data(), dx.data()); },
                    4.0 * double(n + planes), Work::Bytes);
        });
    }
}

}  // namespace nst::bench
