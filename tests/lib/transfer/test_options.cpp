// The transfer's options decided once (nst/options.hpp): every rule of validate_options with the option it
// names, the random network's defaults, and the multi-scale ladder.
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "nst/error.hpp"
#include "nst/options.hpp"

using namespace nst;

namespace {

// The OptionError validate_options throws for `change` applied to the defaults ("" if none).
std::pair<std::string, std::string> refusal(const std::function<void(TransferOptions&)>& change) {
    TransferOptions o;
    change(o);
    try {
        validate_options(o);
    } catch (const OptionError& e) {
        CHECK(std::string(e.what()) == option_message(e.option(), e.detail()));
        return {e.option(), e.detail()};
    }
    return {"", ""};
}

}  // namespace

TEST_CASE("the defaults and the notebook preset are valid", "[options]") {
    CHECK_NOTHROW(validate_options(TransferOptions{}));
    CHECK_NOTHROW(validate_options(notebook_options()));
    CHECK(TransferOptions{}.init == InitKind::Content);  // the app's documented default start
    CHECK(notebook_options().init == InitKind::Noise);
}

TEST_CASE("each rule names its option, the value and what it must be", "[options][errors]") {
    using R = std::pair<std::string, std::string>;
    CHECK(refusal([](auto& o) { o.iterations = -5; }) == R{"iterations", "-5 (must be >= 0)"});
    CHECK(refusal([](auto& o) { o.content_weight = -1; }) == R{"content_weight", "-1 (must be a finite number >= 0)"});
    CHECK(refusal([](auto& o) { o.style_weight = NAN; }) == R{"style_weight", "nan (must be a finite number >= 0)"});
    CHECK(refusal([](auto& o) { o.tv_weight = INFINITY; }) == R{"tv_weight", "inf (must be a finite number >= 0)"});
    CHECK(refusal([](auto& o) { o.adam.lr = 0; }) == R{"adam.lr", "0 (must be a finite number > 0)"});
    CHECK(refusal([](auto& o) { o.lbfgs.lr = -2; }) == R{"lbfgs.lr", "-2 (must be a finite number > 0)"});
    CHECK(refusal([](auto& o) { o.adam.beta1 = 1; }) == R{"adam.beta1", "1 (must be at least 0 and below 1)"});
    CHECK(refusal([](auto& o) { o.adam.beta2 = -0.5f; }) == R{"adam.beta2", "-0.5 (must be at least 0 and below 1)"});
    CHECK(refusal([](auto& o) { o.adam.eps = 0; }) == R{"adam.eps", "0 (must be a finite number > 0)"});
    CHECK(refusal([](auto& o) { o.lbfgs.history = 0; }) == R{"lbfgs.history", "0 (must be 1 to 1000)"});
    CHECK(refusal([](auto& o) { o.lbfgs.history = 1001; }) == R{"lbfgs.history", "1001 (must be 1 to 1000)"});
    CHECK(refusal([](auto& o) { o.style_scale = 17; }) == R{"style_scale", "17 (must be 0 to 16; 0: the output's size)"});
    CHECK(refusal([](auto& o) { o.noise_ratio = 1.5f; }) == R{"noise_ratio", "1.5 (must be 0 to 1)"});
    const R unknown = refusal([](auto& o) { o.style_layers = {{"relu9_1", 1.0f}}; });
    CHECK(unknown.first == "style_layers");
    CHECK_THAT(unknown.second, Catch::StartsWith(": unknown VGG-19 layer 'relu9_1'"));
    CHECK(refusal([](auto& o) { o.content_layers = {{"relu4_2", -1.0f}}; }) ==
          R{"content_layers", ": layer relu4_2 has weight -1 (must be a finite number >= 0)"});
    CHECK(refusal([](auto& o) {
              o.content_layers.clear();
              o.style_layers.clear();
          }).first == "style_layers");
    CHECK(refusal([](auto&) {}) == R{"", ""});
}

TEST_CASE("an option error reads as one line: option, then detail", "[options][errors]") {
    CHECK(std::string(OptionError("iterations", "-5 (must be >= 0)").what()) == "iterations -5 (must be >= 0)");
    CHECK(std::string(OptionError("style_layers", ": unknown layer").what()) == "style_layers: unknown layer");
}

TEST_CASE("the random network's defaults leave the options the caller names", "[options][random]") {
    TransferOptions o;
    CHECK(apply_random_network_defaults(o, {}) ==
          std::vector<std::string>{"style_layers", "content_layers", "content_weight", "adam.lr"});
    REQUIRE(o.style_layers.size() == 3);
    CHECK(o.style_layers[2].layer == "relu3_1");
    CHECK(o.content_layers.at(0).layer == "relu3_2");
    CHECK(o.content_weight == 25.0f);
    CHECK(o.adam.lr == 3.0f);
    CHECK_NOTHROW(validate_options(o));

    TransferOptions kept;
    kept.content_weight = 7.0f;
    CHECK(apply_random_network_defaults(kept, {"content_weight", "style_layers"}) ==
          std::vector<std::string>{"content_layers", "adam.lr"});
    CHECK(kept.content_weight == 7.0f);
    CHECK(kept.style_layers.size() == 5);

    TransferOptions lbfgs;
    lbfgs.optimizer = OptimizerKind::Lbfgs;
    CHECK(apply_random_network_defaults(lbfgs, {}) ==
          std::vector<std::string>{"style_layers", "content_layers", "content_weight"});  // Adam's step only
    CHECK(lbfgs.lbfgs.lr == 1.0f);
}

TEST_CASE("the multi-scale ladder: given sizes, a sqrt(2) ladder, or one scale", "[options][scales]") {
    CHECK(scale_ladder({}, 0, 512) == std::vector<int>{512});
    CHECK(scale_ladder({128, 256, 300}, 0, 300) == std::vector<int>{128, 256, 300});
    // The scales never silently override the output size, and a negative min_size is refused with scales too.
    CHECK_THROWS_WITH(scale_ladder({128, 256, 300}, 0, 512),
                      "scales 128,256,300: the last scale must be the output's longest side, 512 (leave out the size "
                      "to take the last scale's)");
    CHECK_THROWS_WITH(scale_ladder({16, 32}, -5, 32), "min_size -5 (must be >= 0; 0: one scale)");
    CHECK(scale_ladder({}, 100, 300) == std::vector<int>{100, 141, 200, 283, 300});
    CHECK_THROWS_WITH(scale_ladder({48, 24}, 0, 32), "scales 48,24: sizes must increase");
    CHECK_THROWS_WITH(scale_ladder({16, 99999}, 0, 32), "scales 16,99999: each scale must be a size from 1 to 32768");
    CHECK_THROWS_WITH(scale_ladder({16, 32}, 8, 32), "scales 16,32: give scales or min_size, not both");
    CHECK_THROWS_WITH(scale_ladder({}, 64, 32), "min_size 64 (must be smaller than the output's longest side, 32)");
    CHECK_THROWS_AS(scale_ladder({}, -5, 32), OptionError);
}
