// add: the residual connection (with its ReLU) at each ResNet-50 stage's block output. Work: 12 bytes per
// element (two reads, one write).
#include "../bench.hpp"

namespace nst::bench {

void register_add(const Target& t) {
    const int B = t.train_batch;
    const std::pair<const char*, std::size_t> outputs[] = {{"conv2_block1_out", std::size_t(B) * 256 * 8 * 8},
                                                           {"conv3_block1_out", std::size_t(B) * 512 * 4 * 4},
                                                           {"conv4_block1_out", std::size_t(B) * 1024 * 2 * 2},
                                                           {"conv5_block1_out", std::size_t(B) * 2048}};
    const Device device = t.device;
    for (const auto& [layer, n] : outputs)
        add(t.name("add", resnet_shape(layer, B), "relu"), [=, n = n](benchmark::State& st) {
            OpBackend& b = backend(device);
            Buffer a = random_buffer(b, n), c = random_buffer(b, n), y = b.allocate(n);
            time_op(st, b, [&] { b.add(a.data(), c.data(), y.data(), n, true); }, 12.0 * double(n), Work::Bytes);
        });
}

}  // namespace nst::bench
