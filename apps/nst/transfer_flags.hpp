// nst transfer's flags: what they hold as parsed, which libnst option each one sets, and the text formats
// they take (sizes, layer lists, number lists). The options' defaults and rules are libnst's
// (nst/options.hpp): the flags start from TransferOptions{} and the app only names them.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

#include "nst/options.hpp"

namespace nst::app {

// Everything `nst transfer` was given. `options` holds the flags bound to one TransferOptions field each,
// so their defaults (and --help's) are TransferOptions{}'s; the rest is text to be parsed or app-only.
struct TransferFlags {
    TransferOptions options;
    std::string content, style, output, blend_weights, weights, preset, log;
    std::string size = "512";
    std::string scales;
    int min_size = 0;
    // Text forms of options (their defaults: TransferOptions{}'s, set when the flags are registered).
    std::string optimizer, adam, pool, init;
    std::string content_layers, style_layers;  // name[:weight],...
    float lr = 0.0f;                           // given: the chosen optimiser's step
    bool preserve_colors = false;
    bool color_match = false;
    int save_every = 0;
    int print_every = 50;
    std::string device = "auto";
    std::string precision = "fp32";
    bool autotune = false;
    std::string normalize_net = "auto";
    std::string normalize_style = "auto";
    std::string max_memory;
};

// A flag that sets a TransferOptions field: its libnst option name (as OptionError names it) and how its
// parsed value is written into options. Registered with the flag; applied only when the flag was given.
struct OptionSetter {
    std::string flag;
    std::string option;
    std::function<void(const TransferFlags&, TransferOptions&)> apply;
};

// Registers every flag of `nst transfer` on `cmd`, bound to `f`; returns the setters of those that set an
// option, in the order they must be applied (the optimiser before --lr). Without `single` (nst batch) the
// one-image flags --content and --output are left out.
std::vector<OptionSetter> add_transfer_flags(CLI::App& cmd, TransferFlags& f, bool single = true);

// The flag that sets a libnst option ("lbfgs.history" -> "--lbfgs-history"); the option itself when no flag
// does.
std::string flag_for_option(const std::string& option);

// "500M", "12G", "1.5G", "1048576": bytes (K, M, G, T are powers of 1024; "MB"/"MiB" alike), 1 MiB to 1e18.
std::size_t parse_memory_size(const std::string& text);
// "512" (longest side) or "640x480" (exact); sizes 1 to kMaxImageSide.
void parse_size(const std::string& text, int* longest, int* width, int* height);
// "relu1_1:0.5,relu2_1" -> layers with weights (1 when omitted); names are checked by validate_options.
std::vector<LayerWeight> parse_layers(const std::string& flag, const std::string& text);
std::string format_layers(const std::vector<LayerWeight>& layers);
// "0.7,0.3" -> numbers, each finite and >= 0.
std::vector<float> parse_weights(const std::string& flag, const std::string& text);
// "256,512" -> whole numbers.
std::vector<int> parse_sizes(const std::string& flag, const std::string& text);
std::vector<std::string> split(const std::string& text, char sep);

}  // namespace nst::app
