// gram: Gram matrices (SGEMM and SSYRK) and the style loss with its gradient at the five style layers.
// Work: G = F·Fᵀ is 2·C²·M FLOP (both triangles counted, as SGEMM computes them); the style loss adds the
// gradient GEMM, another 2·C²·M.
#include "../bench.hpp"

namespace nst::bench {

void register_gram(const Target& t) {
    for (const FeatureLayer& l : kStyleLayers) {
        const int side = side_at(l.side512, t.input_px), C = l.channels;
        const std::int64_t M = std::int64_t(side) * side;
        const double flop = 2.0 * C * C * static_cast<double>(M);
        const Device device = t.device;
        for (GramMethod method : {GramMethod::Gemm, GramMethod::Syrk})
            add(t.name("gram", t.shape(l.name), method == GramMethod::Gemm ? "gemm" : "syrk"), [=](benchmark::State& st) {
                OpBackend& b = backend(device, Precision::Fp32, method);
                Buffer F = random_buffer(b, std::size_t(C) * M), G = b.allocate(std::size_t(C) * C);
                time_op(st, b, [&] { b.gram(F.data(), C, M, G.data()); }, flop, Work::Flop);
            });
        add(t.name("gram", t.shape(l.name), "style_loss"), [=](benchmark::State& st) {
            OpBackend& b = backend(device);
            Buffer F = random_buffer(b, std::size_t(C) * M), A = random_buffer(b, std::size_t(C) * C),
                   D = b.allocate(std::size_t(C) * C), loss = b.allocate(1), dF = b.allocate(std::size_t(C) * M);
            time_op(st, b, [&] { b.style_loss(F.data(), C, M, A.data(), D.data(), 1.0f, loss.data(), dF.data(), false); },
                    2 * flop, Work::Flop);
        });
    }
}

}  // namespace nst::bench
