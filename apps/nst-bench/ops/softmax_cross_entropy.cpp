// softmax_cross_entropy: the loss, accuracy and logits' gradient of a batch of 100-class logits. Work: bytes
// of logits read and gradient written.
#include "../bench.hpp"

namespace nst::bench {

void register_softmax_cross_entropy(const Target& t) {
    const int B = t.train_batch, C = 100;
    const Device device = t.device;
    add(t.name("softmax_cross_entropy", resnet_shape("predictions", B)), [=](benchmark::State& st) {
        OpBackend& b = backend(device);
        std::vector<float> labels(static_cast<std::size_t>(B));
        for (std::size_t i = 0; i < labels.size(); ++i) labels[i] = float(i % C);
        Buffer z = random_buffer(b, std::size_t(B) * C), l = b.allocate(labels.size()), s = b.allocate(2 * labels.size()),
               out = b.allocate(2), dz = b.allocate(std::size_t(B) * C);
        b.upload(labels.data(), l.data(), labels.size());
        time_op(st, b, [&] { b.softmax_cross_entropy(B, C, z.data(), l.data(), s.data(), out.data(), out.data() + 1, dz.data()); },
                8.0 * B * C, Work::Bytes);
    });
}

}  // namespace nst::bench
