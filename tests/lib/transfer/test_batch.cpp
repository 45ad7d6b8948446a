// Many images, one style (nst batch's engine): style targets computed once give the same transfer as targets
// computed by each transfer, whole and in tiles; a batch of images optimised together gives each image its
// one-at-a-time result; the batch's rules and its memory estimate.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "../../support/test_images.hpp"
#include "nst/error.hpp"
#include "nst/transfer.hpp"

using namespace nst;
using namespace nst::test;

namespace {

// Every iteration's losses, image by image: runs[iteration][image].
std::vector<std::vector<Losses>> run_losses(StyleTransfer& t) {
    std::vector<std::vector<Losses>> runs;
    t.run([&](StyleTransfer::Iteration& it) {
        runs.push_back(it.batch_losses());
        return true;
    });
    return runs;
}

double relative(double a, double b) {
    return std::abs(a - b) / std::max(std::abs(b), 1e-30);
}

// Three different pictures of one size.
std::vector<Image> pictures(int width, int height) {
    return {content_picture(width, height), style_picture(width, height),
            resize_image(content_picture(31, 45), width, height)};
}

}  // namespace

TEST_CASE("style targets computed once equal the targets each transfer computes, whole and in tiles",
          "[transfer][batch]") {
    const VggWeights w = random_vgg19(1, "relu5_1", 8);
    const std::vector<StyleImage> styles = {{style_picture(40, 40), 0.6f}, {content_picture(50, 30), 0.4f}};
    const Image content = content_picture(96, 64);
    for (int tile : {0, 32}) {
        TransferOptions o;
        o.iterations = 4;
        o.style_scale = 1.3f;
        o.normalize_style_layers = true;
        o.tv_weight = 1e-3f;
        o.tile = tile;
        auto b = make_cpu_backend();
        StyleTransfer direct(*b, w, content, styles, o);
        const StyleTargets targets = compute_style_targets(*b, w, o, content.width, content.height, styles);
        CHECK(targets.layers.size() == o.style_layers.size());
        StyleTransfer reused(*b, w, {content}, targets, o);
        CHECK(reused.plan().tiled == (tile > 0));
        const auto a = run_losses(direct), c = run_losses(reused);
        INFO("tile " << tile);
        REQUIRE(a.size() == c.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            CHECK(a[i][0].total == c[i][0].total);  // the same computation, the targets copied out and back
            CHECK(a[i][0].style == c[i][0].style);
        }
        CHECK(direct.image().rgb == reused.image().rgb);
    }
}

// Adam is element-wise, so a batch's update of each image is that image's update alone; the network's
// batched convolution sums in a different order (the GEMM's), hence 1e-5 relative, not bit for bit.
TEST_CASE("a batch gives every image its one-at-a-time losses and result", "[transfer][batch]") {
    const VggWeights w = random_vgg19(1, "relu5_1", 8);
    const std::vector<StyleImage> styles = {{style_picture(40, 40), 1.0f}};
    const std::vector<Image> contents = pictures(48, 40);
    for (InitKind init : {InitKind::Content, InitKind::Noise}) {
        TransferOptions o;
        o.iterations = 12;
        o.init = init;
        o.seed = 3;
        o.tv_weight = 1e-3f;
        o.content_layers = {{"relu4_2", 1.0f}, {"relu2_2", 0.5f}};
        auto b = make_cpu_backend();
        const StyleTargets targets = compute_style_targets(*b, w, o, 48, 40, styles);
        StyleTransfer batch(*b, w, contents, targets, o);
        CHECK(batch.batch() == 3);
        const auto together = run_losses(batch);
        double worst = 0.0;
        for (std::size_t k = 0; k < contents.size(); ++k) {
            StyleTransfer alone(*b, w, contents[k], styles, o);
            const auto single = run_losses(alone);
            REQUIRE(single.size() == together.size());
            for (std::size_t i = 0; i < single.size(); ++i) {
                worst = std::max(worst, relative(together[i][k].total, single[i][0].total));
                worst = std::max(worst, relative(together[i][k].style, single[i][0].style));
                if (single[i][0].content > 0)
                    worst = std::max(worst, relative(together[i][k].content, single[i][0].content));
                worst = std::max(worst, relative(together[i][k].tv, single[i][0].tv));
            }
            const Image mine = batch.image(static_cast<int>(k)), theirs = alone.image();
            REQUIRE(mine.rgb.size() == theirs.rgb.size());
            int differ = 0;
            for (std::size_t j = 0; j < mine.rgb.size(); ++j)
                differ = std::max(differ, std::abs(int(mine.rgb[j]) - int(theirs.rgb[j])));
            CHECK(differ <= 1);  // 8-bit values: rounding of a value within 1e-5 may fall either side
        }
        INFO((init == InitKind::Noise ? "noise" : "content") << " init: worst relative loss difference " << worst);
        CHECK(worst <= 1e-5);
    }
}

TEST_CASE("a batch's rules: one size, Adam, untiled, targets of its size", "[transfer][batch][errors]") {
    const VggWeights w = random_vgg19(1, "relu3_1", 16);
    const std::vector<StyleImage> styles = {{style_picture(20, 16), 1.0f}};
    auto b = make_cpu_backend();
    TransferOptions o;
    o.content_layers = {{"relu3_1", 1.0f}};
    o.style_layers = {{"relu1_1", 1.0f}, {"relu2_1", 1.0f}};
    const StyleTargets targets = compute_style_targets(*b, w, o, 20, 16, styles);
    const std::vector<Image> two = {content_picture(20, 16), style_picture(20, 16)};
    CHECK_THROWS_WITH(StyleTransfer(*b, w, {content_picture(20, 16), style_picture(16, 20)}, targets, o),
                      Catch::Contains("must have one size: 20x16 and 16x20"));
    CHECK_THROWS_WITH(StyleTransfer(*b, w, std::vector<Image>{}, targets, o), Catch::Contains("no content image"));
    CHECK_THROWS_WITH(StyleTransfer(*b, w, {content_picture(24, 16)}, targets, o),
                      Catch::Contains("style targets computed for 20x16, used for 24x16"));
    TransferOptions lbfgs = o;
    lbfgs.optimizer = OptimizerKind::Lbfgs;
    CHECK_THROWS_WITH(StyleTransfer(*b, w, two, targets, lbfgs), Catch::Contains("needs Adam"));
    StyleTransfer one_lbfgs(*b, w, {two[0]}, targets, lbfgs);  // one image may use L-BFGS
    TransferOptions tiled = o;
    tiled.tile = 16;
    CHECK_THROWS_WITH(StyleTransfer(*b, w, two, targets, tiled), Catch::Contains("tiles need a batch of 1"));
    TransferOptions style_init = o;
    style_init.init = InitKind::Style;
    CHECK_THROWS_WITH(StyleTransfer(*b, w, two, targets, style_init),
                      Catch::Contains("init 'style' needs the style images"));
    TransferOptions small = o;
    small.max_memory = estimate_transfer_memory(*b, w, o, 20, 16, {}, 2) - 1;
    CHECK_THROWS_WITH(StyleTransfer(*b, w, two, targets, small), Catch::Contains("use a smaller batch"));
    TransferOptions other_layers = o;
    other_layers.style_layers = {{"relu1_1", 1.0f}};
    CHECK_THROWS_WITH(StyleTransfer(*b, w, two, targets, other_layers),
                      Catch::Contains("style targets for a different list of style layers"));
}

TEST_CASE("a batch's memory estimate is within 10 % of the CPU backend's measured peak", "[transfer][batch][memory]") {
    const VggWeights w = random_vgg19(1, "relu5_1", 8);
    const std::vector<StyleImage> styles = {{style_picture(40, 40), 1.0f}};
    for (int batch : {2, 4}) {
        std::vector<Image> contents;
        for (int k = 0; k < batch; ++k) contents.push_back(pictures(64, 48)[static_cast<std::size_t>(k % 3)]);
        TransferOptions o;
        StyleTargets targets;
        {
            auto b = make_cpu_backend();
            targets = compute_style_targets(*b, w, o, 64, 48, styles);
        }
        auto b = make_cpu_backend();
        const std::size_t estimate = estimate_transfer_memory(*b, w, o, 64, 48, {}, batch);
        StyleTransfer t(*b, w, contents, targets, o);
        t.step();
        t.step();
        const std::size_t peak = b->peak_memory();
        INFO("batch " << batch << ": estimate " << estimate << " bytes, measured peak " << peak);
        CHECK(std::abs(double(estimate) - double(peak)) <= 0.1 * double(peak));
    }
}
