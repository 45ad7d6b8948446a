// nst batch: many inputs in one style (docs/batch.md). The flags are nst transfer's (less the one-output
// ones) plus the inputs, the output folder and the batch; the work is split over MPI ranks when launched by
// mpirun or srun (mpi_world.hpp), and done by batch_runner.cpp.
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "batch_inputs.hpp"
#include "batch_runner.hpp"
#include "commands.hpp"
#include "nst/atomic_file.hpp"
#include "nst/error.hpp"
#include "nst/image.hpp"
#include "nst/transfer.hpp"
#include "nst/video.hpp"
#include "nst/weights.hpp"
#include "open_backend.hpp"
#include "stop_signals.hpp"
#include "transfer_flags.hpp"
#include "transfer_setup.hpp"
#include "mpi_world.hpp"

namespace nst::app {

namespace {

struct BatchFlags {
    TransferFlags transfer;
    std::string inputs, output_dir;
    bool overwrite = false;
    int batch = 1;
    bool video = false;
    float temporal_weight = 100.0f;  // measured on synthetic frames: flicker about halved (docs/batch.md)
};

// This rank's inputs: round-robin for photos (every rank gets a share of every size); for a video a
// contiguous chunk, after the frame before it (the lead: its first frame's predecessor) when there is one.
std::vector<BatchItem> shard(const std::vector<BatchItem>& all, const MpiWorld& world, bool video, bool* lead) {
    const auto rank = static_cast<std::size_t>(world.rank()), size = static_cast<std::size_t>(world.size());
    std::vector<BatchItem> mine;
    *lead = false;
    if (!video) {
        for (std::size_t i = rank; i < all.size(); i += size) mine.push_back(all[i]);
        return mine;
    }
    const std::size_t begin = all.size() * rank / size, end = all.size() * (rank + 1) / size;
    if (begin > 0 && begin < end) {
        mine.push_back(all[begin - 1]);
        *lead = true;
    }
    mine.insert(mine.end(), all.begin() + static_cast<std::ptrdiff_t>(begin),
                all.begin() + static_cast<std::ptrdiff_t>(end));
    return mine;
}

// Everything checked before any work: options, sizes, flags that do not go together.
BatchSettings make_settings(const BatchFlags& f, const CLI::App& cmd, const std::vector<OptionSetter>& setters,
                            const std::string& weights, std::string* random_defaults) {
    BatchSettings s;
    const TransferFlags& t = f.transfer;
    s.options = build_options(t, cmd, setters, is_random_spec(weights), random_defaults);
    s.options.normalize_style_layers = resolve_switch(t.normalize_style, is_random_spec(weights));
    if (t.preset == "notebook" && cmd.get_option("--size")->count() == 0) {
        s.width = 800;
        s.height = 600;
    } else {
        parse_size(t.size, &s.longest, &s.width, &s.height);
    }
    if (f.batch < 1 || f.batch > 4096) throw Error("--batch must be 1 to 4096");
    if (f.batch > 1 && s.options.optimizer != OptimizerKind::Adam)
        throw Error("--batch " + std::to_string(f.batch) +
                    " needs --optimizer adam: L-BFGS's steps would couple the images");
    if (f.batch > 1 && s.options.tile > 0) throw Error("--tile needs --batch 1");
    if (f.batch > 1 && t.color_match)
        throw Error("--color-match gives every input its own style targets: it needs --batch 1");
    if (t.print_every < 0) throw Error("--print-every must be >= 0");
    if (!std::isfinite(f.temporal_weight) || f.temporal_weight < 0)
        throw Error("--temporal-weight must be a number >= 0");
    if (f.video && f.batch > 1) throw Error("--video runs one frame after another: it needs --batch 1");
    if (!f.video && cmd.get_option("--temporal-weight")->count() > 0) throw Error("--temporal-weight needs --video");
    std::string why;
    if (f.video && !optical_flow_available(&why)) throw Error("--video: " + why);
    s.video = f.video;
    s.temporal_weight = f.temporal_weight;
    s.batch = f.batch;
    s.overwrite = f.overwrite;
    s.preserve_colors = t.preserve_colors;
    s.color_match = t.color_match;
    s.print_every = t.print_every;
    return s;
}

// The network: the weights, normalised (when asked) at the first output size on the style images and the first
// few readable inputs of the whole list (the same on every rank): a channel the style never fires but the
// photos do would otherwise keep its raw scale, and the losses theirs.
VggWeights prepare_batch_network(const BatchFlags& f, const BatchSettings& s, const std::string& weights_path,
                                 const std::vector<BatchItem>& all, const std::vector<std::pair<int, int>>& sizes,
                                 Backend& backend, bool quiet) {
    VggWeights net = load_weights(weights_path, "relu5_4");
    if (!resolve_switch(f.transfer.normalize_net, net.random) || sizes.empty()) return net;
    const auto [w, h] = sizes[0];
    std::vector<Image> references;
    for (const StyleImage& st : s.styles) references.push_back(resize_image(st.image, w, h));
    constexpr std::size_t kInputs = 4;
    for (std::size_t i = 0, used = 0; i < all.size() && used < kInputs; ++i) {
        try {
            references.push_back(resize_image(load_image(all[i].input), w, h));
            ++used;
        } catch (const Error&) {  // reported by the rank that owns it
        }
    }
    const TransferPlan fit = check_transfer_fits(backend, net, s.options, w, h, s.styles);
    normalize_network(backend, net, references, s.options.pool, fit.tiled ? fit.tile : 0);
    if (!quiet)
        std::fprintf(stderr,
                     "nst: normalised the network: every channel's mean activation on the style and the first "
                     "inputs is 1\n");
    return net;
}

// Before any work: a batch of every output size fits the memory, and a video's frames run untiled (the
// temporal loss needs the whole frame).
void check_sizes_fit(const BatchSettings& s, const Backend& backend, const VggWeights& net,
                     const std::vector<std::pair<int, int>>& sizes) {
    for (const auto& [w, h] : sizes) {
        const TransferPlan plan = check_batch_fits(backend, net, s.options, w, h, s.batch, s.styles);
        if (s.video && plan.tiled)
            throw Error("--video: a " + std::to_string(w) + "x" + std::to_string(h) +
                        " frame needs tiles here, and the temporal loss runs untiled: use a smaller --size");
    }
}

// No output may replace a style image, the weights file or the init image (the inputs are checked with the list).
void check_outputs_spare(const std::vector<BatchItem>& all, const BatchFlags& f, const std::string& weights) {
    for (const BatchItem& item : all) {
        for (const std::string& style : split(f.transfer.style, ','))
            check_not_same_file(item.output, "output", style, "--style");
        if (!is_random_spec(weights)) check_not_same_file(item.output, "output", weights, "--weights");
        const std::string& init = f.transfer.init;
        if (init != "noise" && init != "content" && init != "style")
            check_not_same_file(item.output, "output", init, "--init");
    }
}

int finish(MpiWorld& world, const BatchRunner& runner, long total, bool stopped) {
    world.finish_progress();  // first: no progress message is left in flight when the collectives start
    const long written = world.sum(runner.counts().written), skipped = world.sum(runner.counts().skipped);
    const long failed = world.sum(runner.counts().failed);
    if (world.rank() == 0) {
        std::fprintf(stderr, "nst batch: %ld inputs: %ld written, %ld already done, %ld failed%s\n", total, written,
                     skipped, failed,
                     stopped ? ", the rest not started (stopped: rerun the same command to go on)" : "");
    }
    if (stopped) return stop_exit_code();
    return failed > 0 ? 1 : 0;
}

int run_batch(const BatchFlags& f, const CLI::App& cmd, const std::vector<OptionSetter>& setters) {
    install_stop_handlers();
    MpiWorld world;
    try {
        const std::string weights = resolve_weights(f.transfer.weights);
        std::string random_defaults;
        BatchSettings s = make_settings(f, cmd, setters, weights, &random_defaults);
        const std::vector<BatchItem> all = list_batch_inputs(f.inputs, f.output_dir);
        check_outputs_spare(all, f, weights);
        s.styles = load_styles(f.transfer);
        if (s.options.init == InitKind::Image) s.options.init_image = load_image(f.transfer.init);
        bool lead = false;
        std::vector<BatchItem> mine = shard(all, world, s.video, &lead);
        BatchRunner runner(s, world, std::move(mine), static_cast<long>(all.size()), lead);
        if (world.rank() == 0)
            std::fprintf(stderr, "nst batch: %zu inputs, batches of up to %d, %s\n", all.size(), s.batch,
                         world.description().c_str());
        const std::vector<std::pair<int, int>> sizes = runner.scan();
        if (sizes.empty()) return finish(world, runner, static_cast<long>(all.size()), false);  // nothing to do
        std::unique_ptr<Backend> backend = open_backend(f.transfer.device, f.transfer.precision, f.transfer.autotune,
                                                        world.local_rank(), world.local_size());
        const VggWeights net = prepare_batch_network(f, s, weights, all, sizes, *backend, world.rank() != 0);
        if (net.random && world.rank() == 0)
            std::fprintf(stderr,
                         "nst: using the built-in random VGG-19 (%s, untrained): expect texture-like results%s%s\n",
                         net.source.c_str(), random_defaults.empty() ? "" : "; random-network defaults for ",
                         random_defaults.c_str());
        check_sizes_fit(s, *backend, net, sizes);
        runner.make_targets(*backend, net, sizes);
        const bool complete = runner.run(*backend, net);
        return finish(world, runner, static_cast<long>(all.size()), !complete);
    } catch (const Error& e) {
        if (world.size() == 1) throw;
        std::fprintf(stderr, "nst: error: [rank %d] %s\n", world.rank(), e.what());
        world.abort(1);
    }
}

}  // namespace

void add_batch_command(CLI::App& app, Action& action) {
    auto f = std::make_shared<BatchFlags>();
    CLI::App* cmd = app.add_subcommand("batch", "Paint many images (a folder, a list, video frames) in one style");
    cmd->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    cmd->add_option("--inputs", f->inputs, "A folder of images, a LIST.txt of paths, or frames like 'f/%05d.png'")
        ->required();
    cmd->add_option("--output-dir", f->output_dir, "Where the outputs go, named after the inputs")->required();
    cmd->add_flag("--overwrite", f->overwrite, "Redo inputs whose output already exists (default: skip them)");
    cmd->add_option("--batch", f->batch, "Same-sized images optimised together (Adam)")->capture_default_str();
    cmd->add_flag("--video", f->video, "The inputs are frames in order: each starts from the previous result, warped");
    cmd->add_option(
           "--temporal-weight", f->temporal_weight,
           "--video: weight of the temporal loss (Ruder et al.) that holds each frame to the warped previous one")
        ->capture_default_str();
    auto setters = std::make_shared<std::vector<OptionSetter>>(add_transfer_flags(*cmd, f->transfer, false));
    cmd->callback([&action, f, cmd, setters] { action = [f, cmd, setters] { return run_batch(*f, *cmd, *setters); }; });
}

}  // namespace nst::app
