// conv: VGG-19's convolutions through conv5_1 forward (bias and ReLU) and backward-data, labelled with what
// the backend chose for the shape (Backend::describe_conv). Work: 2·Cin·9·Cout·H·W FLOP each way.
#include "../bench.hpp"

namespace nst::bench {

void register_conv(const Target& t) {
    for (const ConvLayer& c : kConvLayers) {
        const int side = side_at(c.side512, t.input_px);
        const ConvShape s{1, c.in, c.out, side, side};
        const double flop = 2.0 * c.in * 9.0 * c.out * side * side;
        const std::size_t xs = std::size_t(c.in) * side * side, ys = std::size_t(c.out) * side * side;
        const Device device = t.device;
        add(t.name("conv", t.shape(c.name), "forward"), [=](benchmark::State& st) {
            Backend& b = backend(device);
            Buffer x = random_buffer(b, xs), w = random_buffer(b, std::size_t(c.out) * c.in * 9),
                   bias = random_buffer(b, std::size_t(c.out)), y = b.allocate(ys);
            st.SetLabel(b.describe_conv(s));
            time_op(st, b, [&] { b.conv_forward(s, x.data(), w.data(), bias.data(), y.data(), true); }, flop, Work::Flop);
        });
        add(t.name("conv", t.shape(c.name), "backward_data"), [=](benchmark::State& st) {
            Backend& b = backend(device);
            Buffer dy = random_buffer(b, ys), w = random_buffer(b, std::size_t(c.out) * c.in * 9), dx = b.allocate(xs);
            time_op(st, b, [&] { b.conv_backward_data(s, w.data(), dy.data(), dx.data()); }, flop, Work::Flop);
        });
    }
}

}  // namespace nst::bench
