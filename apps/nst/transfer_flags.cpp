// nst transfer's flags: registration (bound to TransferOptions{} where a flag is one option), the setters
// that copy given flags into options, and the text formats.
#include "transfer_flags.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "nst/error.hpp"

namespace nst::app {

namespace {

using Apply = void (*)(const TransferFlags&, TransferOptions&);

void add_setter(std::vector<OptionSetter>& s, const char* flag, const char* option, Apply apply) {
    s.push_back({flag, option, apply});
}

void add_io_flags(CLI::App& cmd, TransferFlags& f, bool single) {
    if (single) cmd.add_option("--content", f.content, "Content image (JPEG, PNG, BMP, TGA)")->required();
    cmd.add_option("--style", f.style, "Style image, or several: a.jpg,b.jpg (their Gram targets blended)")->required();
    if (single) cmd.add_option("--output", f.output, "Output image (.png, .jpg)")->required();
    cmd.add_option("--style-blend-weights", f.blend_weights, "Shares of several style images, e.g. 0.7,0.3");
    cmd.add_option("--weights", f.weights,
                   "VGG-19 weights: a MatConvNet .mat file, or random[:SEED] for the built-in untrained network "
                   "(default: $NST_WEIGHTS, then models/imagenet-vgg-verydeep-19.mat)");
    cmd.add_option("--preset", f.preset, "notebook: the reference notebook's constants (flags given override them)")
        ->check(CLI::IsMember({"notebook"}));
    cmd.add_option("--size", f.size, "Output size: N (longest side, aspect kept) or WxH (exact)")->capture_default_str();
    if (single) {  // one output's: multi-scale, checkpoints and the loss log
        cmd.add_option("--scales", f.scales, "Multi-scale: longest sides a,b,c; each starts from the last's result");
        cmd.add_option("--min-size", f.min_size, "Multi-scale from this longest side up to --size in steps of sqrt(2)");
        cmd.add_option("--save-every", f.save_every, "Save OUTPUT_<iteration> every N iterations (0: never)")
            ->capture_default_str();
        cmd.add_option("--log", f.log, "Write every iteration's losses to this CSV file");
    }
    cmd.add_flag("--preserve-colors", f.preserve_colors, "Keep the content's colours: result's luminance, content's chroma");
    cmd.add_flag("--color-match", f.color_match, "Match the style images' colour statistics to the content's first");
    cmd.add_option("--print-every", f.print_every, "Print the losses every N iterations (0: only at the end)")
        ->capture_default_str();
    cmd.add_option("--device", f.device, "auto, cuda or cpu")
        ->check(CLI::IsMember({"auto", "cuda", "cpu"}))
        ->capture_default_str();
    cmd.add_option("--precision", f.precision, "fp32 (strict) or tf32 (tensor cores, CUDA only)")
        ->check(CLI::IsMember({"fp32", "tf32"}))
        ->capture_default_str();
    cmd.add_flag("--autotune", f.autotune,
                 "CUDA: time cuDNN's algorithms for each convolution and take the fastest (runs may then differ in "
                 "the last bits); default: cuDNN's heuristics, reproducible bit for bit");
}

void add_optimizer_flags(CLI::App& cmd, TransferFlags& f, std::vector<OptionSetter>& s) {
    cmd.add_option("--iterations", f.options.iterations, "Optimiser steps (per scale)")->capture_default_str();
    add_setter(s, "--iterations", "iterations", [](auto& f, auto& o) { o.iterations = f.options.iterations; });
    f.optimizer = to_string(f.options.optimizer);
    cmd.add_option("--optimizer", f.optimizer, "adam or lbfgs")
        ->check(CLI::IsMember({"adam", "lbfgs"}))
        ->capture_default_str();
    add_setter(s, "--optimizer", "optimizer", [](auto& f, auto& o) {
        o.optimizer = f.optimizer == "lbfgs" ? OptimizerKind::Lbfgs : OptimizerKind::Adam;
    });
    cmd.add_option("--lr", f.lr, "Step size, pixel units (default: 2 for Adam, 3 with random weights; 1 for L-BFGS)");
    add_setter(s, "--lr", "adam.lr", [](auto& f, auto& o) {
        (o.optimizer == OptimizerKind::Lbfgs ? o.lbfgs.lr : o.adam.lr) = f.lr;
    });
    cmd.add_option("--lbfgs-history", f.options.lbfgs.history, "L-BFGS: curvature pairs kept")->capture_default_str();
    add_setter(s, "--lbfgs-history", "lbfgs.history", [](auto& f, auto& o) { o.lbfgs = f.options.lbfgs; });
    f.adam = to_string(f.options.adam.flavor);
    cmd.add_option("--adam", f.adam, "Adam's update: tf1 (the notebook's) or pytorch")
        ->check(CLI::IsMember({"tf1", "pytorch"}))
        ->capture_default_str();
    add_setter(s, "--adam", "adam.flavor", [](auto& f, auto& o) {
        o.adam.flavor = f.adam == "pytorch" ? AdamFlavor::PyTorch : AdamFlavor::TensorFlow1;
    });
}

void add_loss_flags(CLI::App& cmd, TransferFlags& f, std::vector<OptionSetter>& s) {
    cmd.add_option("--content-weight", f.options.content_weight, "Content loss weight")->capture_default_str();
    add_setter(s, "--content-weight", "content_weight", [](auto& f, auto& o) { o.content_weight = f.options.content_weight; });
    cmd.add_option("--style-weight", f.options.style_weight, "Style loss weight")->capture_default_str();
    add_setter(s, "--style-weight", "style_weight", [](auto& f, auto& o) { o.style_weight = f.options.style_weight; });
    cmd.add_option("--tv-weight", f.options.tv_weight, "Total-variation weight")->capture_default_str();
    add_setter(s, "--tv-weight", "tv_weight", [](auto& f, auto& o) { o.tv_weight = f.options.tv_weight; });
    f.content_layers = format_layers(f.options.content_layers);
    cmd.add_option("--content-layers", f.content_layers, "Content layers: name[:weight],...")->capture_default_str();
    add_setter(s, "--content-layers", "content_layers", [](auto& f, auto& o) {
        o.content_layers = parse_layers("--content-layers", f.content_layers);
    });
    f.style_layers = format_layers(f.options.style_layers);
    cmd.add_option("--style-layers", f.style_layers, "Style layers: name[:weight],...")->capture_default_str();
    add_setter(s, "--style-layers", "style_layers", [](auto& f, auto& o) {
        o.style_layers = parse_layers("--style-layers", f.style_layers);
    });
    f.pool = to_string(f.options.pool);
    cmd.add_option("--pool", f.pool, "Pooling: avg (the notebook's) or max")
        ->check(CLI::IsMember({"avg", "max"}))
        ->capture_default_str();
    add_setter(s, "--pool", "pool", [](auto& f, auto& o) { o.pool = f.pool == "max" ? PoolMode::Max : PoolMode::Average; });
    cmd.add_option("--style-scale", f.options.style_scale,
                   "Style image's longest side as a multiple of the output's (0: resized to the output, the notebook)")
        ->capture_default_str();
    add_setter(s, "--style-scale", "style_scale", [](auto& f, auto& o) { o.style_scale = f.options.style_scale; });
}

void add_init_flags(CLI::App& cmd, TransferFlags& f, std::vector<OptionSetter>& s) {
    f.init = to_string(f.options.init);
    cmd.add_option("--init", f.init, "Initial image: noise, content, style or an image file")->capture_default_str();
    add_setter(s, "--init", "init", [](auto& f, auto& o) {
        o.init = f.init == "noise"     ? InitKind::Noise
                 : f.init == "content" ? InitKind::Content
                 : f.init == "style"   ? InitKind::Style
                                       : InitKind::Image;  // the file is loaded with the other images
    });
    cmd.add_option("--noise-ratio", f.options.noise_ratio,
                   "--init noise: weight of uniform(-20, 20) noise against the content")
        ->capture_default_str();
    add_setter(s, "--noise-ratio", "noise_ratio", [](auto& f, auto& o) { o.noise_ratio = f.options.noise_ratio; });
    cmd.add_option("--seed", f.options.seed, "Seed of the noise")->capture_default_str();
    add_setter(s, "--seed", "seed", [](auto& f, auto& o) { o.seed = f.options.seed; });
    cmd.add_option("--normalize-net", f.normalize_net,
                   "Rescale the network so each channel's mean activation on the images is 1: auto (on for random "
                   "weights), on, off")
        ->check(CLI::IsMember({"auto", "on", "off"}))
        ->capture_default_str();
    cmd.add_option("--normalize-style-layers", f.normalize_style,
                   "Weight each style layer by 1/|A|^2 so every layer counts: auto (on for random weights), on, off")
        ->check(CLI::IsMember({"auto", "on", "off"}))
        ->capture_default_str();
}

void add_memory_flags(CLI::App& cmd, TransferFlags& f, std::vector<OptionSetter>& s) {
    cmd.add_option("--tile", f.options.tile,
                   "Tile side in output pixels, halo excluded (0: tiles only when the image does not fit the memory)")
        ->capture_default_str();
    add_setter(s, "--tile", "tile", [](auto& f, auto& o) { o.tile = f.options.tile; });
    cmd.add_option("--max-memory", f.max_memory,
                   "Memory the transfer may allocate, e.g. 500M or 12G (default: what the device has free, less a "
                   "tenth); larger images run in tiles");
    add_setter(s, "--max-memory", "max_memory", [](auto& f, auto& o) { o.max_memory = parse_memory_size(f.max_memory); });
}

int parse_whole(const std::string& text, const std::string& what) {
    if (text.empty() || text.size() > 5 || text.find_first_not_of("0123456789") != std::string::npos)
        throw Error(what);
    return std::stoi(text);
}

}  // namespace

std::vector<OptionSetter> add_transfer_flags(CLI::App& cmd, TransferFlags& f, bool single) {
    std::vector<OptionSetter> setters;
    add_io_flags(cmd, f, single);
    add_optimizer_flags(cmd, f, setters);
    add_loss_flags(cmd, f, setters);
    add_init_flags(cmd, f, setters);
    add_memory_flags(cmd, f, setters);
    return setters;
}

std::string flag_for_option(const std::string& option) {
    static const std::pair<const char*, const char*> kFlags[] = {
        {"adam.lr", "--lr"}, {"lbfgs.lr", "--lr"}, {"lbfgs.history", "--lbfgs-history"}, {"adam.flavor", "--adam"}};
    for (const auto& [name, flag] : kFlags)
        if (option == name) return flag;
    if (option.find('.') != std::string::npos || option.find(' ') != std::string::npos) return option;  // no flag
    std::string flag = "--" + option;
    for (char& c : flag)
        if (c == '_') c = '-';
    return flag;
}

std::size_t parse_memory_size(const std::string& text) {
    const std::string what = "--max-memory " + text + ": expected a size such as 500M, 12G or 1.5G (K, M, G, T: "
                             "powers of 1024; no suffix: bytes)";
    std::size_t digits = 0;
    while (digits < text.size() && (std::isdigit(static_cast<unsigned char>(text[digits])) || text[digits] == '.'))
        ++digits;
    const std::string number = text.substr(0, digits), unit = text.substr(digits);
    static const std::pair<const char*, double> kUnits[] = {{"", 1.0},          {"K", 1024.0}, {"M", 1048576.0},
                                                            {"G", 1073741824.0}, {"T", 1099511627776.0}};
    double scale = 0.0;
    for (const auto& [name, factor] : kUnits)
        if (unit == name || (*name != '\0' && (unit == std::string(name) + "B" || unit == std::string(name) + "iB")))
            scale = factor;
    if (number.empty() || number.size() > 20 || std::count(number.begin(), number.end(), '.') > 1 || scale == 0.0)
        throw Error(what);
    const double bytes = std::strtod(number.c_str(), nullptr) * scale;
    if (!(bytes >= 1048576.0) || bytes > 1.0e18)
        throw Error("--max-memory " + text + ": must be from 1M to 1e18 bytes");
    return static_cast<std::size_t>(bytes);
}

void parse_size(const std::string& text, int* longest, int* width, int* height) {
    *longest = *width = *height = 0;
    const std::string limit = std::to_string(kMaxImageSide);
    auto side = [&](const std::string& s) {
        const int v = parse_whole(s, "--size " + text + ": expected N (longest side) or WxH, with sizes from 1 to " + limit);
        if (v < 1 || v > kMaxImageSide) throw Error("--size " + text + ": sizes must be 1 to " + limit);
        return v;
    };
    const std::size_t x = text.find('x');
    if (x == std::string::npos) {
        *longest = side(text);
    } else {
        *width = side(text.substr(0, x));
        *height = side(text.substr(x + 1));
    }
}

std::vector<LayerWeight> parse_layers(const std::string& flag, const std::string& text) {
    std::vector<LayerWeight> layers;
    for (const std::string& item : split(text, ',')) {
        LayerWeight l;
        const std::size_t colon = item.find(':');
        l.layer = item.substr(0, colon);
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

std::string format_layers(const std::vector<LayerWeight>& layers) {
    std::string text;
    for (const LayerWeight& l : layers) {
        char weight[32] = "";
        if (l.weight != 1.0f) std::snprintf(weight, sizeof weight, ":%g", static_cast<double>(l.weight));
        text += (text.empty() ? "" : ",") + l.layer + weight;
    }
    return text;
}

std::vector<float> parse_weights(const std::string& flag, const std::string& text) {
    std::vector<float> values;
    for (const std::string& item : split(text, ',')) {
        char* end = nullptr;
        const float v = std::strtof(item.c_str(), &end);
        if (*end != '\0' || !std::isfinite(v) || v < 0)
            throw Error(flag + ": '" + item + "' is not a finite number >= 0");
        values.push_back(v);
    }
    return values;
}

std::vector<int> parse_sizes(const std::string& flag, const std::string& text) {
    std::vector<int> sizes;
    for (const std::string& item : split(text, ','))
        sizes.push_back(parse_whole(item, flag + " " + text + ": each scale must be a size from 1 to " +
                                              std::to_string(kMaxImageSide)));
    if (sizes.empty()) throw Error(flag + ": no sizes given");
    return sizes;
}

std::vector<std::string> split(const std::string& text, char sep) {
    std::vector<std::string> parts;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, sep))
        if (!item.empty()) parts.push_back(item);
    return parts;
}

}  // namespace nst::app
