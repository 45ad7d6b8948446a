// One Adam iteration of the notebook's algorithm (forward, five style layers and one content layer, backward
// to the image, update) on the built-in VGG-19 at px x px, with the backend's peak memory.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "bench.hpp"
#include "nst/transfer.hpp"
#include "nst/weights.hpp"

namespace nst::bench {

namespace {

// FLOP of one iteration at px x px: every convolution through conv5_1 forward and backward-data
// (2·Cin·9·Cout·H·W each way), and for each of the five style layers the Gram matrix and the gradient GEMM
// (2·C²·M each). Pooling, ReLU and the elementwise kernels are not counted. At 512 px: 379 GFLOP of
// convolution and 18 GFLOP of Gram work.
double iteration_flop(const VggWeights& w, int px) {
    double flop = 0.0;
    int side = px;
    std::size_t conv = 0;
    for (const Vgg19Layer& l : vgg19_layers()) {
        if (l.kind == LayerKind::Pool) side = (side + 1) / 2;
        if (l.kind != LayerKind::Conv) continue;
        const ConvWeights& c = w.convs[conv++];
        flop += 2 * (2.0 * c.in_channels * 9 * c.out_channels * side * side);
        const bool style_layer = l.name.compare(5, 2, "_1") == 0;  // reluB_1 follows convB_1
        if (style_layer) flop += 2 * (2.0 * c.out_channels * c.out_channels * double(side) * side);
        if (l.name == "conv5_1") break;
    }
    return flop;
}

}  // namespace

Image test_picture(int px) {
    Image content{px, px, std::vector<std::uint8_t>(std::size_t(px) * px * 3)};
    for (std::size_t i = 0; i < content.rgb.size(); ++i) content.rgb[i] = static_cast<std::uint8_t>((i * 7919) % 251);
    return content;
}

void register_iteration(Device device, const std::string& prefix, int px, Precision precision,
                        const std::string& weights_spec, bool autotune) {
    const std::string name = prefix + "/iteration/" + (precision == Precision::Tf32 ? "tf32" : "fp32") +
                             (autotune ? "-autotune" : "") + "/" + std::to_string(px) + "px";
    add(name, [=](benchmark::State& st) {
        OpBackend& b = backend(device, precision, GramMethod::Gemm, autotune);
        const VggWeights w = load_weights(weights_spec, "relu5_1");
        const Image content = test_picture(px);
        Image style = content;
        std::reverse(style.rgb.begin(), style.rgb.end());
        StyleTransfer t(b, w, content, style, notebook_options());
        t.step();  // warm-up
        b.synchronize();
        for (auto _ : st) st.SetIterationTime(b.time_ms([&] { t.step(); }) / 1e3);
        st.counters["peak_MiB"] = static_cast<double>(b.peak_memory()) / (1024.0 * 1024.0);
        st.counters["TFLOP"] = benchmark::Counter(iteration_flop(w, px) / 1e12, benchmark::Counter::kIsIterationInvariantRate);
    });
}

}  // namespace nst::bench
