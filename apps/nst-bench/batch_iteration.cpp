// nst batch's throughput (docs/batch.md): whole Adam iterations of B same-sized images optimised together
// against style targets made once. <prefix>/batch/<precision>[-div<D>]/<px>px/B<b>: ms per iteration (the
// whole batch's step), images_per_s = B images · 1000 / (ms per iteration · 500) for the default 500
// iterations per image, targets_ms (making the style targets once, shared by every batch), peak memory.
#include <algorithm>
#include <string>
#include <vector>

#include "bench.hpp"
#include "nst/transfer.hpp"
#include "nst/weights.hpp"

namespace nst::bench {

void register_batch_iteration(Device device, const std::string& prefix, int px, int batch, int channel_divisor) {
    const std::string name = prefix + "/batch/fp32" +
                             (channel_divisor > 1 ? "-div" + std::to_string(channel_divisor) : "") + "/" +
                             std::to_string(px) + "px/B" + std::to_string(batch);
    add(name, [=](benchmark::State& st) {
        std::unique_ptr<OpBackend> b = make_op_backend(device, BackendOptions{});  // its own: the peak is this benchmark's
        const VggWeights w = random_vgg19(0, "relu5_1", channel_divisor);
        const Image picture = test_picture(px);
        Image style = picture;
        std::reverse(style.rgb.begin(), style.rgb.end());
        const TransferOptions o = notebook_options();
        StyleTargets targets;
        const double targets_ms = b->time_ms([&] {
            targets = compute_style_targets(*b, w, o, px, px, {{style, 1.0f}});
        });
        std::vector<Image> contents(static_cast<std::size_t>(batch), picture);
        for (std::size_t k = 1; k < contents.size(); ++k)  // different pictures: rotate the rows
            std::rotate(contents[k].rgb.begin(),
                        contents[k].rgb.begin() + static_cast<std::ptrdiff_t>(k * 3 * px * 7 % contents[k].rgb.size()),
                        contents[k].rgb.end());
        StyleTransfer t(*b, w, contents, targets, o);
        t.step();  // warm-up
        b->synchronize();
        std::vector<double> times;
        for (auto _ : st) {
            times.push_back(b->time_ms([&] { t.step(); }));
            st.SetIterationTime(times.back() / 1e3);
        }
        std::nth_element(times.begin(), times.begin() + static_cast<std::ptrdiff_t>(times.size() / 2), times.end());
        const double median = times[times.size() / 2];
        st.counters["images_per_s"] = batch * 1000.0 / (median * 500.0);
        st.counters["ms_per_image_iteration"] = median / batch;
        st.counters["targets_ms"] = targets_ms;
        st.counters["peak_MiB"] = static_cast<double>(b->peak_memory()) / (1024.0 * 1024.0);
    });
}

}  // namespace nst::bench
