// dense: ResNet-50's predictions layer (2048 -> 100) forward, backward-data and the weight gradient. Work:
// 2·batch·2048·100 FLOP each.
#include "../bench.hpp"

namespace nst::bench {

void register_dense(const Target& t) {
    const int B = t.train_batch, I = 2048, O = 100;
    const double flop = 2.0 * B * I * O;
    const std::string shape = resnet_shape("predictions", B);
    const Device device = t.device;
    add(t.name("dense", shape, "forward"), [=](benchmark::State& st) {
        OpBackend& b = backend(device);
        Buffer x = random_buffer(b, std::size_t(B) * I), w = random_buffer(b, std::size_t(I) * O),
               bias = random_buffer(b, O), y = b.allocate(std::size_t(B) * O);
        time_op(st, b, [&] { b.dense_forward(B, I, O, x.data(), w.data(), bias.data(), y.data()); }, flop, Work::Flop);
    });
    add(t.name("dense", shape, "backward_data"), [=](benchmark::State& st) {
        OpBackend& b = backend(device);
        Buffer w = random_buffer(b, std::size_t(I) * O), dy = random_buffer(b, std::size_t(B) * O),
               dx = b.allocate(std::size_t(B) * I);
        time_op(st, b, [&] { b.dense_backward_data(B, I, O, w.data(), dy.data(), dx.data()); }, flop, Work::Flop);
    });
    add(t.name("dense", shape, "backward_weights"), [=](benchmark::State& st) {
        OpBackend& b = backend(device);
        Buffer x = random_buffer(b, std::size_t(B) * I), dy = random_buffer(b, std::size_t(B) * O),
               dw = b.allocate(std::size_t(I) * O), db = b.allocate(O);
        time_op(st, b, [&] { b.dense_backward_weights(B, I, O, x.data(), dy.data(), dw.data(), db.data(), false); }, flop,
                Work::Flop);
    });
}

}  // namespace nst::bench
