// Whole Adam iterations of the notebook's algorithm at print sizes, whole and in tiles (docs/usage.md,
// "Images of any size"): ms per iteration, the peak memory of a backend made for this benchmark alone, and
// the plan: tiled or not, the tile, the number of tiles, the pixels the network reads per output pixel (the
// halo's cost) and the tiles whose activations are kept between the passes (the others run forward twice).
#include <algorithm>
#include <string>

#include "bench.hpp"
#include "nst/transfer.hpp"
#include "nst/weights.hpp"

namespace nst::bench {

void register_tiled_iteration(Device device, const std::string& prefix, int px, int tile, int channel_divisor,
                              Precision precision, bool keep) {
    const std::string name = prefix + "/iteration_tiled/" + (precision == Precision::Tf32 ? "tf32" : "fp32") +
                             (channel_divisor > 1 ? "-div" + std::to_string(channel_divisor) : "") + "/" +
                             std::to_string(px) + "px/" + (tile == 0 ? "auto" : "tile" + std::to_string(tile)) +
                             (keep ? "" : "-recompute");
    add(name, [=](benchmark::State& st) {
        BackendOptions bo;
        bo.precision = precision;
        std::unique_ptr<OpBackend> b = make_op_backend(device, bo);  // its own: the peak is this benchmark's
        const VggWeights w = random_vgg19(0, "relu5_1", channel_divisor);
        const Image content = test_picture(px);
        Image style = content;
        std::reverse(style.rgb.begin(), style.rgb.end());
        TransferOptions o = notebook_options();
        o.tile = tile;
        // -recompute: a budget of exactly the tiles' needs, so no tile's activations are kept between passes.
        if (!keep) o.max_memory = estimate_tiled_memory(*b, w, o, px, px, tile, {{style, 1.0f}}, 0);
        StyleTransfer t(*b, w, content, style, o);
        t.step();  // warm-up
        b->synchronize();
        for (auto _ : st) st.SetIterationTime(b->time_ms([&] { t.step(); }) / 1e3);
        const TransferPlan& p = t.plan();
        st.counters["peak_MiB"] = static_cast<double>(b->peak_memory()) / (1024.0 * 1024.0);
        st.counters["tiled"] = p.tiled ? 1 : 0;
        st.counters["tile"] = p.tile;
        st.counters["tiles"] = p.rows * p.cols;
        st.counters["overhead"] = p.overhead;
        st.counters["kept"] = p.kept_tiles;
    });
}

}  // namespace nst::bench
