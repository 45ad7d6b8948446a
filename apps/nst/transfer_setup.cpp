// What nst transfer and nst batch decide the same way before any work: the weights' source, the options from
// the flags, the style images with their blend weights.
#include "transfer_setup.hpp"

#include <cstdlib>
#include <filesystem>

#include "nst/error.hpp"

namespace nst::app {

bool is_random_spec(const std::string& spec) {
    return spec == "random" || spec.rfind("random:", 0) == 0;
}

// auto | on | off; auto means: on for the built-in random network, off for real weights.
bool resolve_switch(const std::string& value, bool random_weights) {
    return value == "on" || (value == "auto" && random_weights);
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

std::vector<StyleImage> load_styles(const TransferFlags& f) {
    const std::vector<std::string> paths = split(f.style, ',');
    if (paths.empty()) throw Error("--style: no image given");
    std::vector<float> blend(paths.size(), 1.0f);
    if (!f.blend_weights.empty()) {
        blend = parse_weights("--style-blend-weights", f.blend_weights);
        if (blend.size() != paths.size())
            throw Error("--style-blend-weights: " + std::to_string(blend.size()) + " weights for " +
                        std::to_string(paths.size()) + " style images");
    }
    std::vector<StyleImage> styles;
    for (std::size_t i = 0; i < paths.size(); ++i) styles.push_back({load_image(paths[i]), blend[i]});
    return styles;
}

// The options: the preset's (or TransferOptions{}'s), the random network's defaults for flags not given,
// then every flag given; checked by libnst's one validation.
TransferOptions build_options(const TransferFlags& f, const CLI::App& cmd, const std::vector<OptionSetter>& setters,
                              bool random, std::string* random_defaults) {
    const bool notebook = f.preset == "notebook";
    TransferOptions o = notebook ? notebook_options() : TransferOptions{};
    auto given = [&](const std::string& flag) { return cmd.get_option(flag)->count() > 0; };
    for (const OptionSetter& s : setters)
        if (s.flag == "--optimizer" && given(s.flag)) s.apply(f, o);  // the random defaults depend on it
    if (random && !notebook) {
        std::vector<std::string> keep;
        for (const OptionSetter& s : setters)
            if (given(s.flag)) keep.push_back(s.option);
        for (const std::string& option : apply_random_network_defaults(o, keep))
            *random_defaults += (random_defaults->empty() ? "" : ", ") + flag_for_option(option);
    }
    for (const OptionSetter& s : setters)
        if (given(s.flag)) s.apply(f, o);
    validate_options(o);
    return o;
}

}  // namespace nst::app
