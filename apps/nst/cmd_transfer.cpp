// nst transfer: the notebook's algorithm (or your variation of it) from the shell. Flags are parsed
// (transfer_flags.cpp), turned into libnst's options and checked before any work, then the images are
// loaded and each scale is run with progress (progress.cpp).
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "nst/atomic_file.hpp"
#include "nst/backend.hpp"
#include "nst/device.hpp"
#include "nst/error.hpp"
#include "nst/image.hpp"
#include "nst/transfer.hpp"
#include "nst/weights.hpp"
#include "open_backend.hpp"
#include "progress.hpp"
#include "stop_signals.hpp"
#include "transfer_flags.hpp"
#include "transfer_setup.hpp"

namespace nst::app {

namespace {

// Everything decided before any work: the options, the output size, the ladder of scales.
struct Plan {
    TransferOptions options;
    bool random = false;
    std::string weights, random_defaults;  // the flags the random network's defaults set, for the notice
    int longest = 0, width = 0, height = 0;
    std::vector<int> ladder{0};
    int save_every = 0, print_every = 0;
};

// No output is written over an input or over the other output (compared after symlinks and hard links).
void check_outputs_spare_inputs(const TransferFlags& f, const Plan& p) {
    check_not_same_file(f.log, "--log", f.output, "--output");
    for (const auto& [out, flag] : {std::pair{&f.output, "--output"}, std::pair{&f.log, "--log"}}) {
        check_not_same_file(*out, flag, f.content, "--content");
        for (const std::string& style : split(f.style, ',')) check_not_same_file(*out, flag, style, "--style");
        if (!p.random) check_not_same_file(*out, flag, p.weights, "--weights");
        if (f.init != "noise" && f.init != "content" && f.init != "style") check_not_same_file(*out, flag, f.init, "--init");
    }
}

Plan make_plan(const TransferFlags& f, const CLI::App& cmd, const std::vector<OptionSetter>& setters) {
    Plan p;
    const bool notebook = f.preset == "notebook";
    p.weights = resolve_weights(f.weights);
    p.random = is_random_spec(p.weights);
    p.options = build_options(f, cmd, setters, p.random, &p.random_defaults);
    if (notebook && cmd.get_option("--size")->count() == 0) {
        p.width = 800;
        p.height = 600;
    } else if (!f.scales.empty() && cmd.get_option("--size")->count() == 0) {
        p.longest = parse_sizes("--scales", f.scales).back();  // the last scale is the output's size
    } else {
        parse_size(f.size, &p.longest, &p.width, &p.height);
    }
    if ((!f.scales.empty() || f.min_size != 0) && p.longest == 0)
        throw Error("--scales and --min-size need --size N (the longest side), not WxH");
    if (p.longest > 0)
        p.ladder = scale_ladder(f.scales.empty() ? std::vector<int>{} : parse_sizes("--scales", f.scales), f.min_size,
                                p.longest);
    p.save_every = notebook && cmd.get_option("--save-every")->count() == 0 ? 100 : f.save_every;
    p.print_every = notebook && cmd.get_option("--print-every")->count() == 0 ? 100 : f.print_every;
    if (p.save_every < 0 || p.print_every < 0) throw Error("--save-every and --print-every must be >= 0");
    check_output_path(f.output);
    if (!f.log.empty()) check_writable_folder(f.log);
    check_outputs_spare_inputs(f, p);
    return p;
}

struct Inputs {
    Image content;
    std::vector<StyleImage> styles;
};

Inputs load_inputs(const TransferFlags& f, Plan& plan) {
    Inputs in;
    in.content = load_image(f.content);
    in.styles = load_styles(f);
    if (f.color_match)
        for (StyleImage& st : in.styles) st.image = match_colors(st.image, in.content);
    if (plan.options.init == InitKind::Image) plan.options.init_image = load_image(f.init);
    if (plan.longest > 0) fit_longest_side(in.content.width, in.content.height, plan.longest, &plan.width, &plan.height);
    return in;
}

// The network to run: the weights, normalised on the content and styles at the output size when asked.
VggWeights prepare_network(const TransferFlags& f, const Plan& plan, const Inputs& in, Backend& backend) {
    const VggWeights weights = load_weights(plan.weights, "relu5_4");
    const TransferPlan fit = check_transfer_fits(backend, weights, plan.options, plan.width, plan.height, in.styles);
    if (weights.random)
        std::fprintf(stderr, "nst: using the built-in random VGG-19 (%s, untrained): expect texture-like results%s%s\n",
                     weights.source.c_str(), plan.random_defaults.empty() ? "" : "; random-network defaults for ",
                     plan.random_defaults.c_str());
    VggWeights net = weights;
    if (resolve_switch(f.normalize_net, weights.random)) {
        std::vector<Image> references{resize_image(in.content, plan.width, plan.height)};
        for (const StyleImage& s : in.styles) references.push_back(resize_image(s.image, plan.width, plan.height));
        normalize_network(backend, net, references, plan.options.pool, fit.tiled ? fit.tile : 0);
        std::fprintf(stderr, "nst: normalised the network: every channel's mean activation on the content and style is 1\n");
    }
    return net;
}

// Each scale of the ladder, the later ones starting from the previous result upsampled.
Image run_scales(const Plan& plan, const Inputs& in, const VggWeights& net, Backend& backend, Progress& progress) {
    Image result;
    for (std::size_t k = 0; k < plan.ladder.size() && (k == 0 || !stop_requested()); ++k) {
        int w = plan.width, h = plan.height;
        if (plan.ladder.size() > 1) fit_longest_side(in.content.width, in.content.height, plan.ladder[k], &w, &h);
        TransferOptions o = plan.options;
        if (k > 0) {
            o.init = InitKind::Image;
            o.init_image = result;
        }
        const std::string tag = plan.ladder.size() > 1 ? "scale " + std::to_string(k + 1) + "/" +
                                                             std::to_string(plan.ladder.size()) + " (" +
                                                             std::to_string(w) + "x" + std::to_string(h) + ")  "
                                                       : "";
        std::fprintf(stderr, "nst: %s%dx%d, %d iterations (%s) on %s\n", tag.c_str(), w, h, o.iterations,
                     o.optimizer == OptimizerKind::Lbfgs ? "L-BFGS" : "Adam", backend.description().c_str());
        StyleTransfer transfer(backend, net, resize_image(in.content, w, h), in.styles, o);
        if (transfer.plan().tiled) {
            std::fprintf(stderr, "nst: %s%s\n", tag.c_str(), transfer.plan().describe().c_str());
            transfer.on_tile([&progress](int pass, int tile, int tiles) { progress.tile(pass, tile, tiles); });
        }
        progress.start_scale(tag);
        progress.end_scale(transfer.run([&](StyleTransfer::Iteration& it) { return progress(it, k == 0); }));
        result = transfer.image();
    }
    return result;
}

int run_transfer(const TransferFlags& f, const CLI::App& cmd, const std::vector<OptionSetter>& setters) {
    install_stop_handlers();
    Plan plan = make_plan(f, cmd, setters);
    const Inputs in = load_inputs(f, plan);
    plan.options.normalize_style_layers = resolve_switch(f.normalize_style, plan.random);

    std::unique_ptr<Backend> backend = open_backend(f.device, f.precision, f.autotune);
    const VggWeights net = prepare_network(f, plan, in, *backend);
    Progress progress(f.output, f.log, plan.print_every, plan.save_every, stop_requested(),
                      loss_columns(plan.options));
    Image result;
    try {
        result = run_scales(plan, in, net, *backend, progress);
    } catch (const Error& e) {
        progress.end_line();
        std::string message = e.what();
        if (!progress.last_checkpoint().empty()) message += "; the last good checkpoint is " + progress.last_checkpoint();
        progress.finish();
        throw Error(message);
    }
    progress.finish();
    if (f.preserve_colors) result = preserve_colors(result, in.content);
    save_image(result, f.output);
    if (stop_requested()) {
        std::fprintf(stderr, "nst: %s: saved the current image to %s\n", stop_reason().c_str(), f.output.c_str());
        return stop_exit_code();
    }
    std::fprintf(stderr, "nst: wrote %s\n", f.output.c_str());
    return 0;
}

}  // namespace

void add_transfer_command(CLI::App& app, Action& action) {
    auto f = std::make_shared<TransferFlags>();
    CLI::App* cmd = app.add_subcommand("transfer", "Paint the content image in the style of the style image");
    cmd->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);  // the last --flag wins
    auto setters = std::make_shared<std::vector<OptionSetter>>(add_transfer_flags(*cmd, *f));
    cmd->callback([&action, f, cmd, setters] { action = [f, cmd, setters] { return run_transfer(*f, *cmd, *setters); }; });
}

}  // namespace nst::app
