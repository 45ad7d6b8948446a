// nst transfer: the notebook's algorithm (or your variation of it) from the shell.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
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

namespace nst::app {

namespace {

std::atomic<bool> g_interrupted{false};
extern "C" void on_sigint(int) {
    g_interrupted = true;
}

struct Flags {
    std::string content, style, output;
    std::string blend_weights;
    std::string weights;
    std::string preset;
    std::string size = "512";
    std::string scales;
    int min_size = 0;
    int iterations = 500;
    std::string optimizer = "adam";
    float lr = 0.0f;  // 0: the optimiser's default
    int lbfgs_history = 10;
    std::string adam = "tf1";
    float content_weight = 5.0f, style_weight = 100.0f, tv_weight = 0.0f;
    std::string content_layers = "relu4_2";
    std::string style_layers = "relu1_1:0.5,relu2_1:1,relu3_1:1.5,relu4_1:3,relu5_1:4";
    std::string pool = "avg";
    float style_scale = 0.0f;
    std::string init = "content";
    float noise_ratio = 0.7f;
    std::uint64_t seed = 0;
    bool preserve_colors = false;
    bool color_match = false;
    int save_every = 0;
    int print_every = 50;
    std::string log;
    std::string device = "auto";
    std::string precision = "fp32";
    std::string normalize_net = "auto";
    std::string normalize_style = "auto";
};

// What the built-in random (untrained) network needs to stylise rather than add coloured noise, measured
// on the demo pictures (docs/usage.md shows the comparison): shallow style layers, a shallower content
// layer, a stronger content weight and a larger step. Applied with --weights random[:SEED] to each of these
// flags the user did not give (never with --preset notebook).
constexpr const char* kRandomStyleLayers = "relu1_1,relu2_1,relu3_1";
constexpr const char* kRandomContentLayers = "relu3_2";
constexpr float kRandomContentWeight = 25.0f;
constexpr float kRandomLr = 3.0f;

bool is_random_spec(const std::string& spec) {
    return spec == "random" || spec.rfind("random:", 0) == 0;
}

// auto | on | off; auto means: on for the built-in random network, off for real weights.
bool resolve_switch(const std::string& value, bool random_weights) {
    return value == "on" || (value == "auto" && random_weights);
}

// "512" (longest side) or "640x480" (exact).
void parse_size(const std::string& text, int* longest, int* width, int* height) {
    *longest = *width = *height = 0;
    auto number = [&](const std::string& s) {
        if (s.empty() || s.size() > 5 || s.find_first_not_of("0123456789") != std::string::npos)
            throw Error("--size " + text + ": expected N (longest side) or WxH, with sizes from 1 to 16384");
        const int v = std::stoi(s);
        if (v < 1 || v > 16384) throw Error("--size " + text + ": sizes must be 1 to 16384");
        return v;
    };
    const std::size_t x = text.find('x');
    if (x == std::string::npos) {
        *longest = number(text);
    } else {
        *width = number(text.substr(0, x));
        *height = number(text.substr(x + 1));
    }
}

// "relu1_1:0.5,relu2_1" -> layers with weights (1 when omitted).
std::vector<LayerWeight> parse_layers(const std::string& flag, const std::string& text) {
    std::vector<LayerWeight> layers;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ',')) {
        if (item.empty()) continue;
        LayerWeight l;
        const std::size_t colon = item.find(':');
        l.layer = item.substr(0, colon);
        try {
            canonical_layer(l.layer);
        } catch (const Error& e) {
            throw Error(flag + ": " + e.what());
        }
        if (colon != std::string::npos) {
            const std::string w = item.substr(colon + 1);
            char* end = nullptr;
            l.weight = std::strtof(w.c_str(), &end);
            if (w.empty() || *end != '\0' || !std::isfinite(l.weight) || l.weight < 0)
                throw Error(flag + ": layer " + l.layer + " has weight '" + w + "' (must be a finite number >= 0)");
        }
        layers.push_back(l);
    }
    if (layers.empty()) throw Error(flag + ": no layers given");
    return layers;
}

void check_weight_flag(const char* flag, float v) {
    if (!std::isfinite(v) || v < 0)
        throw Error(std::string(flag) + " " + std::to_string(v) + " (must be a finite number >= 0)");
}

// --weights, else $NST_WEIGHTS, else models/imagenet-vgg-verydeep-19.mat; never a silent fallback.
std::string resolve_weights(const std::string& flag) {
    if (!flag.empty()) return flag;
    if (const char* env = std::getenv("NST_WEIGHTS"); env != nullptr && *env != '\0') return env;
    const std::string standard = "models/imagenet-vgg-verydeep-19.mat";
    if (std::filesystem::exists(standard)) return standard;
    throw Error(
        "no VGG-19 weights: put MatConvNet's imagenet-vgg-verydeep-19.mat (535 MB, from "
        "https://www.vlfeat.org/matconvnet/pretrained/) at " +
        standard + ", set NST_WEIGHTS to its path, or pass --weights random for the built-in untrained network");
}

std::string timestamp() {
    const std::time_t now = std::time(nullptr);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", std::localtime(&now));
    return text;
}

std::string checkpoint_path(const std::string& output, int iteration) {
    const std::filesystem::path p(output);
    return (p.parent_path() / (p.stem().string() + "_" + std::to_string(iteration) + p.extension().string())).string();
}

std::string duration(double seconds) {
    const long s = std::lround(std::max(0.0, seconds));
    char text[32];
    std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
    return text;
}

std::vector<std::string> split(const std::string& text, char sep) {
    std::vector<std::string> parts;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, sep))
        if (!item.empty()) parts.push_back(item);
    return parts;
}

float parse_float(const std::string& flag, const std::string& text) {
    char* end = nullptr;
    const float v = std::strtof(text.c_str(), &end);
    if (text.empty() || *end != '\0' || !std::isfinite(v) || v < 0)
        throw Error(flag + ": '" + text + "' is not a finite number >= 0");
    return v;
}

// The longest sides of a multi-scale run, ascending, the last being the output's: --scales a,b,c, or
// --min-size N growing by √2 up to --size; a single scale otherwise.
std::vector<int> scale_ladder(const Flags& f, int final_longest) {
    std::vector<int> sizes;
    if (!f.scales.empty()) {
        for (const std::string& s : split(f.scales, ',')) {
            if (s.find_first_not_of("0123456789") != std::string::npos || s.size() > 5 || std::stoi(s) < 1 ||
                std::stoi(s) > 16384)
                throw Error("--scales " + f.scales + ": each scale must be a size from 1 to 16384");
            sizes.push_back(std::stoi(s));
        }
        for (std::size_t i = 1; i < sizes.size(); ++i)
            if (sizes[i] <= sizes[i - 1]) throw Error("--scales " + f.scales + ": sizes must increase");
        if (sizes.empty()) throw Error("--scales: no sizes given");
        return sizes;
    }
    if (f.min_size > 0) {
        if (f.min_size >= final_longest)
            throw Error("--min-size " + std::to_string(f.min_size) + " must be smaller than --size " +
                        std::to_string(final_longest));
        for (double s = f.min_size; s < final_longest; s *= std::sqrt(2.0))
            sizes.push_back(static_cast<int>(std::lround(s)));
    }
    sizes.push_back(final_longest);
    return sizes;
}

// Progress lines or bar, the CSV log and checkpoints, across every scale of a run.
struct Reporter {
    const Flags& f;
    int print_every, save_every;
    bool terminal = isatty(fileno(stderr)) != 0;
    std::unique_ptr<AtomicFile> log_file;
    std::ofstream log;
    std::string last_checkpoint;
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
    Losses shown;
    int offset = 0;  // optimiser steps taken at earlier scales
    std::string scale_tag;

    Reporter(const Flags& flags, int print, int save) : f(flags), print_every(print), save_every(save) {
        if (f.log.empty()) return;
        log_file = std::make_unique<AtomicFile>(f.log);
        log.open(log_file->temp_path());
        if (!log) throw Error("cannot write '" + f.log + "'");
        log << "iteration,total,content,style,tv\n";
    }

    // The per-iteration callback; false once Ctrl-C was pressed.
    bool operator()(StyleTransfer::Iteration& it, bool first_scale) {
        const int i = it.index(), n = it.total(), global = offset + i;
        const bool print = i == n || (print_every > 0 && i % print_every == 0);
        const bool save = i > 0 && i < n && save_every > 0 && global % save_every == 0;
        const bool row = log.is_open() && (i > 0 || first_scale);  // a later scale's start repeats a row
        if (row || print || save) {
            shown = it.losses();
            if (row)
                log << global << ',' << shown.total << ',' << shown.content << ',' << shown.style << ',' << shown.tv
                    << '\n';
        }
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const double rate = i > 0 ? i / elapsed : 0.0;
        if (terminal) {
            const int bar = 24, filled = n > 0 ? bar * i / n : bar;
            std::fprintf(
                stderr, "\r%s[%s%s] %d/%d  %.2f it/s  ETA %s  loss %.4g (content %.4g, style %.4g, tv %.4g)   ",
                scale_tag.c_str(), std::string(static_cast<std::size_t>(filled), '#').c_str(),
                std::string(static_cast<std::size_t>(bar - filled), '.').c_str(), i, n, rate,
                duration(rate > 0 ? (n - i) / rate : 0).c_str(), shown.total, shown.content, shown.style, shown.tv);
        } else if (print) {
            std::fprintf(stderr, "%s  %siteration %d/%d  loss %.6g  content %.6g  style %.6g  tv %.6g  %.2f it/s\n",
                         timestamp().c_str(), scale_tag.c_str(), i, n, shown.total, shown.content, shown.style,
                         shown.tv, rate);
        }
        if (save) {
            last_checkpoint = checkpoint_path(f.output, global);
            save_image(it.image(), last_checkpoint);
        }
        return !g_interrupted;
    }

    void end_line() const {
        if (terminal) std::fputc('\n', stderr);
    }

    void finish() {
        if (!log_file) return;
        log.close();
        if (!log) throw Error("cannot write '" + f.log + "'");
        log_file->commit();
        log_file.reset();
    }
};

int run_transfer(const Flags& user, const CLI::App& cmd) {
    // ---- everything that can be checked before any work ----
    const bool notebook = user.preset == "notebook";
    TransferOptions o = notebook ? notebook_options() : TransferOptions{};
    auto given = [&](const char* name) { return cmd.get_option(name)->count() > 0; };
    const std::string weights_spec = resolve_weights(user.weights);
    Flags f = user;  // with the random-network defaults filled in below
    std::string adjusted;
    if (is_random_spec(weights_spec) && !notebook) {
        auto adjust = [&](const char* name, auto& field, auto value) {
            if (given(name)) return;
            field = value;
            adjusted += std::string(adjusted.empty() ? "" : ", ") + name;
        };
        adjust("--style-layers", f.style_layers, std::string(kRandomStyleLayers));
        adjust("--content-layers", f.content_layers, std::string(kRandomContentLayers));
        adjust("--content-weight", f.content_weight, kRandomContentWeight);
        if (f.optimizer == "adam") adjust("--lr", f.lr, kRandomLr);
    }
    int longest = 0, width = 0, height = 0;
    if (notebook && !given("--size")) {
        width = 800;
        height = 600;
    } else {
        parse_size(f.size, &longest, &width, &height);
    }
    if ((!f.scales.empty() || f.min_size > 0) && longest == 0)
        throw Error("--scales and --min-size need --size N (the longest side), not WxH");
    if (!f.scales.empty() && f.min_size > 0) throw Error("give --scales or --min-size, not both");
    if (!notebook || given("--iterations")) o.iterations = f.iterations;
    if (o.iterations < 0) throw Error("--iterations " + std::to_string(o.iterations) + " (must be >= 0)");
    if (!notebook || given("--optimizer"))
        o.optimizer = f.optimizer == "lbfgs" ? OptimizerKind::Lbfgs : OptimizerKind::Adam;
    if (given("--lr") || f.lr > 0) {
        if (!std::isfinite(f.lr) || f.lr <= 0) throw Error("--lr " + std::to_string(f.lr) + " (must be > 0)");
        (o.optimizer == OptimizerKind::Lbfgs ? o.lbfgs.lr : o.adam.lr) = f.lr;
    }
    o.lbfgs.history = f.lbfgs_history;
    if (o.lbfgs.history < 1 || o.lbfgs.history > 1000)
        throw Error("--lbfgs-history " + std::to_string(o.lbfgs.history) + " (must be 1 to 1000)");
    if (!notebook || given("--adam"))
        o.adam.flavor = f.adam == "pytorch" ? AdamFlavor::PyTorch : AdamFlavor::TensorFlow1;
    if (!notebook || given("--content-weight")) o.content_weight = f.content_weight;
    if (!notebook || given("--style-weight")) o.style_weight = f.style_weight;
    if (!notebook || given("--tv-weight")) o.tv_weight = f.tv_weight;
    check_weight_flag("--content-weight", o.content_weight);
    check_weight_flag("--style-weight", o.style_weight);
    check_weight_flag("--tv-weight", o.tv_weight);
    if (!notebook || given("--content-layers")) o.content_layers = parse_layers("--content-layers", f.content_layers);
    if (!notebook || given("--style-layers")) o.style_layers = parse_layers("--style-layers", f.style_layers);
    if (!notebook || given("--pool")) o.pool = f.pool == "max" ? PoolMode::Max : PoolMode::Average;
    if (!std::isfinite(f.style_scale) || f.style_scale < 0 || f.style_scale > 16)
        throw Error("--style-scale " + std::to_string(f.style_scale) + " (must be 0 to 16; 0: the output's size)");
    o.style_scale = f.style_scale;
    if (!notebook || given("--noise-ratio")) o.noise_ratio = f.noise_ratio;
    if (!(o.noise_ratio >= 0 && o.noise_ratio <= 1))
        throw Error("--noise-ratio " + std::to_string(o.noise_ratio) + " (must be 0 to 1)");
    o.seed = f.seed;
    const int save_every = notebook && !given("--save-every") ? 100 : f.save_every;
    const int print_every = notebook && !given("--print-every") ? 100 : f.print_every;
    if (save_every < 0 || print_every < 0) throw Error("--save-every and --print-every must be >= 0");

    check_output_path(f.output);
    if (!f.log.empty()) check_writable_folder(f.log);
    const Image content_original = load_image(f.content);
    const std::vector<std::string> style_paths = split(f.style, ',');
    if (style_paths.empty()) throw Error("--style: no image given");
    std::vector<float> blend(style_paths.size(), 1.0f);
    if (!f.blend_weights.empty()) {
        const std::vector<std::string> w = split(f.blend_weights, ',');
        if (w.size() != style_paths.size())
            throw Error("--style-blend-weights: " + std::to_string(w.size()) + " weights for " +
                        std::to_string(style_paths.size()) + " style images");
        for (std::size_t i = 0; i < w.size(); ++i) blend[i] = parse_float("--style-blend-weights", w[i]);
    }
    std::vector<StyleImage> styles;
    for (std::size_t i = 0; i < style_paths.size(); ++i) {
        Image s = load_image(style_paths[i]);
        if (f.color_match) s = match_colors(s, content_original);
        styles.push_back({std::move(s), blend[i]});
    }
    if (!notebook || given("--init")) {
        if (f.init == "noise") {
            o.init = InitKind::Noise;
        } else if (f.init == "content") {
            o.init = InitKind::Content;
        } else if (f.init == "style") {
            o.init = InitKind::Style;
        } else {
            o.init = InitKind::Image;
            o.init_image = load_image(f.init);
        }
    }
    if (longest > 0) fit_longest_side(content_original.width, content_original.height, longest, &width, &height);
    const std::vector<int> ladder = longest > 0 ? scale_ladder(f, longest) : std::vector<int>{0};

    const DeviceChoice choice = choose_device(parse_device_request(f.device));
    if (!choice.notice.empty()) std::fprintf(stderr, "nst: %s\n", choice.notice.c_str());
    BackendOptions bo;
    bo.precision = f.precision == "tf32" ? Precision::Tf32 : Precision::Fp32;

    // ---- the work ----
    const VggWeights weights = load_weights(weights_spec, "relu5_4");
    if (weights.random)
        std::fprintf(stderr, "nst: using the built-in random VGG-19 (%s, untrained): expect texture-like results%s%s\n",
                     weights.source.c_str(), adjusted.empty() ? "" : "; random-network defaults for ",
                     adjusted.c_str());
    std::unique_ptr<Backend> backend = make_backend(choice.device, bo);
    o.normalize_style_layers = resolve_switch(f.normalize_style, weights.random);
    VggWeights net = weights;
    if (resolve_switch(f.normalize_net, weights.random)) {
        const Image reference = resize_image(content_original, width, height);
        std::vector<Image> references{reference};
        for (const StyleImage& s : styles) references.push_back(resize_image(s.image, width, height));
        normalize_network(*backend, net, references, o.pool);
        std::fprintf(stderr,
                     "nst: normalised the network: every channel's mean activation on the content and style is 1\n");
    }

    Reporter report(f, print_every, save_every);
    std::signal(SIGINT, on_sigint);
    Image result;
    try {
        for (std::size_t k = 0; k < ladder.size(); ++k) {
            int w = width, h = height;
            if (ladder.size() > 1) fit_longest_side(content_original.width, content_original.height, ladder[k], &w, &h);
            TransferOptions scale_options = o;
            if (k > 0) {  // each scale starts from the previous one's result, upsampled
                scale_options.init = InitKind::Image;
                scale_options.init_image = result;
            }
            report.scale_tag = ladder.size() > 1
                                   ? "scale " + std::to_string(k + 1) + "/" + std::to_string(ladder.size()) + " (" +
                                         std::to_string(w) + "x" + std::to_string(h) + ")  "
                                   : "";
            std::fprintf(stderr, "nst: %s%dx%d, %d iterations (%s) on %s\n", report.scale_tag.c_str(), w, h,
                         o.iterations, o.optimizer == OptimizerKind::Lbfgs ? "L-BFGS" : "Adam",
                         backend->description().c_str());
            StyleTransfer transfer(*backend, net, resize_image(content_original, w, h), styles, scale_options);
            report.start = std::chrono::steady_clock::now();
            const int steps = transfer.run([&](StyleTransfer::Iteration& it) { return report(it, k == 0); });
            report.end_line();
            report.offset += steps;
            result = transfer.image();
            if (g_interrupted) break;
        }
    } catch (const Error& e) {
        report.end_line();
        std::string message = e.what();
        if (!report.last_checkpoint.empty()) message += "; the last good checkpoint is " + report.last_checkpoint;
        report.finish();
        throw Error(message);
    }
    report.finish();
    if (f.preserve_colors) result = preserve_colors(result, content_original);
    save_image(result, f.output);
    if (g_interrupted) {
        std::fprintf(stderr, "nst: interrupted: saved the current image to %s\n", f.output.c_str());
        return 130;
    }
    std::fprintf(stderr, "nst: wrote %s\n", f.output.c_str());
    return 0;
}

}  // namespace

void add_transfer_command(CLI::App& app, Action& action) {
    auto f = std::make_shared<Flags>();
    CLI::App* cmd = app.add_subcommand("transfer", "Paint the content image in the style of the style image");
    cmd->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);  // the last --flag wins
    cmd->add_option("--content", f->content, "Content image (JPEG, PNG, BMP, TGA)")->required();
    cmd->add_option("--style", f->style, "Style image, or several: a.jpg,b.jpg (their Gram targets blended)")
        ->required();
    cmd->add_option("--output", f->output, "Output image (.png, .jpg)")->required();
    cmd->add_option("--style-blend-weights", f->blend_weights, "Shares of several style images, e.g. 0.7,0.3");
    cmd->add_option("--weights", f->weights,
                    "VGG-19 weights: a MatConvNet .mat file, or random[:SEED] for the built-in untrained network "
                    "(default: $NST_WEIGHTS, then models/imagenet-vgg-verydeep-19.mat)");
    cmd->add_option("--preset", f->preset, "notebook: the reference notebook's constants (flags given override them)")
        ->check(CLI::IsMember({"notebook"}));
    cmd->add_option("--size", f->size, "Output size: N (longest side, aspect kept) or WxH (exact)")
        ->capture_default_str();
    cmd->add_option("--scales", f->scales, "Multi-scale: longest sides a,b,c; each starts from the last's result");
    cmd->add_option("--min-size", f->min_size, "Multi-scale from this longest side up to --size in steps of sqrt(2)");
    cmd->add_option("--iterations", f->iterations, "Optimiser steps (per scale)")->capture_default_str();
    cmd->add_option("--optimizer", f->optimizer, "adam or lbfgs")
        ->check(CLI::IsMember({"adam", "lbfgs"}))
        ->capture_default_str();
    cmd->add_option("--lr", f->lr, "Step size, pixel units (default: 2 for Adam, 3 with random weights; 1 for L-BFGS)");
    cmd->add_option("--lbfgs-history", f->lbfgs_history, "L-BFGS: curvature pairs kept")->capture_default_str();
    cmd->add_option("--adam", f->adam, "Adam's update: tf1 (the notebook's) or pytorch")
        ->check(CLI::IsMember({"tf1", "pytorch"}))
        ->capture_default_str();
    cmd->add_option("--content-weight", f->content_weight, "Content loss weight")->capture_default_str();
    cmd->add_option("--style-weight", f->style_weight, "Style loss weight")->capture_default_str();
    cmd->add_option("--tv-weight", f->tv_weight, "Total-variation weight")->capture_default_str();
    cmd->add_option("--content-layers", f->content_layers, "Content layers: name[:weight],...")->capture_default_str();
    cmd->add_option("--style-layers", f->style_layers, "Style layers: name[:weight],...")->capture_default_str();
    cmd->add_option("--pool", f->pool, "Pooling: avg (the notebook's) or max")
        ->check(CLI::IsMember({"avg", "max"}))
        ->capture_default_str();
    cmd->add_option("--style-scale", f->style_scale,
                    "Style image's longest side as a multiple of the output's (0: resized to the output, the notebook)")
        ->capture_default_str();
    cmd->add_option("--init", f->init, "Initial image: noise, content, style or an image file")->capture_default_str();
    cmd->add_option("--noise-ratio", f->noise_ratio,
                    "--init noise: weight of uniform(-20, 20) noise against the content")
        ->capture_default_str();
    cmd->add_option("--seed", f->seed, "Seed of the noise")->capture_default_str();
    cmd->add_flag("--preserve-colors", f->preserve_colors,
                  "Keep the content's colours: result's luminance, content's chroma");
    cmd->add_flag("--color-match", f->color_match, "Match the style images' colour statistics to the content's first");
    cmd->add_option("--save-every", f->save_every, "Save OUTPUT_<iteration> every N iterations (0: never)")
        ->capture_default_str();
    cmd->add_option("--print-every", f->print_every, "Print the losses every N iterations (0: only at the end)")
        ->capture_default_str();
    cmd->add_option("--log", f->log, "Write every iteration's losses to this CSV file");
    cmd->add_option("--device", f->device, "auto, cuda or cpu")
        ->check(CLI::IsMember({"auto", "cuda", "cpu"}))
        ->capture_default_str();
    cmd->add_option("--precision", f->precision, "fp32 (strict) or tf32 (tensor cores, CUDA only)")
        ->check(CLI::IsMember({"fp32", "tf32"}))
        ->capture_default_str();
    cmd->add_option("--normalize-net", f->normalize_net,
                    "Rescale the network so each channel's mean activation on the images is 1: auto (on for random "
                    "weights), on, off")
        ->check(CLI::IsMember({"auto", "on", "off"}))
        ->capture_default_str();
    cmd->add_option("--normalize-style-layers", f->normalize_style,
                    "Weight each style layer by 1/|A|^2 so every layer counts: auto (on for random weights), on, off")
        ->check(CLI::IsMember({"auto", "on", "off"}))
        ->capture_default_str();
    cmd->callback([&action, f, cmd] { action = [f, cmd] { return run_transfer(*f, *cmd); }; });
}

}  // namespace nst::app
