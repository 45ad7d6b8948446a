// conv: VGG-19's convolutions through conv5_1 forward (bias and ReLU) and backward-data, and ResNet-50's at
// the training batch forward, backward-data, backward-filter and the bias gradient; labelled with what the
// backend chose for the shape (Backend::describe_conv). Work: 2·Cin·K²·Cout·Ho·Wo·N FLOP each way (the bias
// gradient: bytes read).
#include "../bench.hpp"

namespace nst::bench {

namespace {

void register_resnet_conv(const Target& t, const ResNetConv& c) {
    const ConvShape s = c.shape;
    const double flop = 2.0 * double(s.filter_size()) * s.out_height() * s.out_width() * s.batch;
    const std::string shape = resnet_shape(c.layer, s.batch);
    const Device device = t.device;
    add(t.name("conv", shape, "forward"), [=](benchmark::State& st) {
        OpBackend& b = backend(device);
        Buffer x = random_buffer(b, s.in_size()), w = random_buffer(b, s.filter_size()),
               bias = random_buffer(b, std::size_t(s.out_channels)), y = b.allocate(s.out_size());
        st.SetLabel(b.describe_conv(s));
        time_op(st, b, [&] { b.conv_forward(s, x.data(), w.data(), bias.data(), y.data(), false); }, flop, Work::Flop);
    });
    add(t.name("conv", shape, "backward_data"), [=](benchmark::State& st) {
        OpBackend& b = backend(device);
        Buffer dy = random_buffer(b, s.out_size()), w = random_buffer(b, s.filter_size()), dx = b.allocate(s.in_size());
        time_op(st, b, [&] { b.conv_backward_data(s, w.data(), dy.data(), dx.data()); }, flop, Work::Flop);
    });
    add(t.name("conv", shape, "backward_filter"), [=](benchmark::State& st) {
        OpBackend& b = backend(device);
        Buffer x = random_buffer(b, s.in_size()), dy = random_buffer(b, s.out_size()), dw = b.allocate(s.filter_size());
        time_op(st, b, [&] { b.conv_backward_filter(s, x.data(), dy.data(), dw.data(), false); }, flop, Work::Flop);
    });
    add(t.name("conv", shape, "backward_bias"), [=](benchmark::State& st) {
        OpBackend& b = backend(device);
        Buffer dy = random_buffer(b, s.out_size()), db = b.allocate(std::size_t(s.out_channels));
        time_op(st, b, [&] { b.conv_backward_bias(s, dy.data(), db.data(), false); }, 4.0 * double(s.out_size()),
                Work::Bytes);
    });
}

}  // namespace

void register_conv(const Target& t) {
    for (const ResNetConv& c : resnet_convs(t.train_batch)) register_resnet_conv(t, c);
    for (const ConvLayer& c : kConvLayers) {
        const int side = side_at(c.side512, t.input_px);
        const ConvShape s{1, c.in, c.out, side, side};
        const double flop = 2.0 * c.in * 9.0 * c.out * side * side;
        const std::size_t xs = std::size_t(c.in) * side * side, ys = std::size_t(c.out) * side * side;
        const Device device = t.device;
        add(t.name("conv", t.shape(c.name), "forward"), [=](benchmark::State& st) {
            OpBackend& b = backend(device);
            Buffer x = random_buffer(b, xs), w = random_buffer(b, std::size_t(c.out) * c.in * 9),
                   bias = random_buffer(b, std::size_t(c.out)), y = b.allocate(ys);
            st.SetLabel(b.describe_conv(s));
            time_op(st, b, [&] { b.conv_forward(s, x.data(), w.data(), bias.data(), y.data(), true); }, flop, Work::Flop);
        });
        add(t.name("conv", t.shape(c.name), "backward_data"), [=](benchmark::State& st) {
            OpBackend& b = backend(device);
            Buffer dy = random_buffer(b, ys), w = random_buffer(b, std::size_t(c.out) * c.in * 9), dx = b.allocate(xs);
            time_op(st, b, [&] { b.conv_backward_data(s, w.data(), dy.data(), dx.data()); }, flop, Work::Flop);
        });
    }
}

}  // namespace nst::bench
