// What nst transfer and nst batch decide the same way before any work: the weights' source, the options from
// the flags (the preset's, the random network's defaults, then the flags given), the style images.
#pragma once

#include <string>
#include <vector>

#include "nst/transfer.hpp"
#include "transfer_flags.hpp"

namespace nst::app {

// "random" or "random:SEED": the built-in untrained network.
bool is_random_spec(const std::string& spec);
// auto | on | off; auto means: on for the built-in random network, off for real weights.
bool resolve_switch(const std::string& value, bool random_weights);
// --weights, else $NST_WEIGHTS, else models/imagenet-vgg-verydeep-19.mat; nst::Error naming all three.
std::string resolve_weights(const std::string& flag);
// The --style images with their --style-blend-weights (1 each when not given).
std::vector<StyleImage> load_styles(const TransferFlags& f);
// The options: the preset's (or TransferOptions{}'s), the random network's defaults for flags not given
// (named in *random_defaults), then every flag given; checked by validate_options.
TransferOptions build_options(const TransferFlags& f, const CLI::App& cmd, const std::vector<OptionSetter>& setters,
                              bool random, std::string* random_defaults);

}  // namespace nst::app
