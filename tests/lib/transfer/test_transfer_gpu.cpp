// The end-to-end GPU-vs-CPU checks: the same short transfer on both backends, every loss of the initial
// image and of each step compared term by term (content, style and total variation separately, not only
// their sum), and the final images compared in 8-bit levels (mean and worst absolute difference); and the
// GPU run reproduced bit for bit by a second, separately constructed backend (the default plan is chosen by
// rule, not by timing, so it must not differ between backends or processes).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "../../support/test_images.hpp"
#include "nst/transfer.hpp"

using namespace nst;

namespace {

struct Run {
    std::vector<Losses> losses;
    Image image;
};

Run run(Backend& backend, const VggWeights& w, const TransferOptions& o, const std::vector<StyleImage>& styles) {
    StyleTransfer t(backend, w, test::content_picture(64, 48), styles, o);
    Run r;
    t.run([&](StyleTransfer::Iteration& it) {
        r.losses.push_back(it.losses());
        return true;
    });
    r.image = t.image();
    return r;
}

double relative(float gpu, float cpu) {
    const double scale = std::max(std::abs(double(cpu)), 1e-30);
    return std::abs(double(gpu) - double(cpu)) / scale;
}

// Every loss term of every iteration within `tolerance` (relative; a term that is exactly 0 on the CPU must be
// within `tolerance` of the total instead), and the images within `mean_levels` / `worst_levels`.
void check_agreement(const char* tag, const Run& cpu, const Run& gpu, double tolerance, double mean_levels,
                     int worst_levels) {
    REQUIRE(cpu.losses.size() == gpu.losses.size());
    double worst = 0.0;
    for (std::size_t i = 0; i < cpu.losses.size(); ++i) {
        const Losses& c = cpu.losses[i];
        const Losses& g = gpu.losses[i];
        const double scale = std::abs(double(c.total));
        // Each term against itself (a term that is 0 on the CPU against the total).
        const auto term = [scale](float gv, float cv) { return cv != 0 ? relative(gv, cv) : std::abs(gv) / scale; };
        const double terms[5] = {relative(g.total, c.total), term(g.content, c.content), term(g.style, c.style),
                                 term(g.tv, c.tv), term(g.temporal, c.temporal)};
        std::printf("%s it %2zu  total cpu %.9g gpu %.9g  rel total %.2e content %.2e style %.2e tv %.2e temporal %.2e\n",
                    tag, i, double(c.total), double(g.total), terms[0], terms[1], terms[2], terms[3], terms[4]);
        for (double t : terms) worst = std::max(worst, t);
    }
    REQUIRE(cpu.image.rgb.size() == gpu.image.rgb.size());
    double sum = 0.0;
    int most = 0;
    for (std::size_t i = 0; i < cpu.image.rgb.size(); ++i) {
        const int d = std::abs(int(cpu.image.rgb[i]) - int(gpu.image.rgb[i]));
        sum += d;
        most = std::max(most, d);
    }
    const double mean = sum / static_cast<double>(cpu.image.rgb.size());
    std::printf("RESULT|%s transfer|rel=%.3e|image_mean_levels=%.3f|image_worst_levels=%d|tolerance=%.1e\n", tag, worst,
                mean, most, tolerance);
    INFO(tag << ": worst relative loss difference " << worst << "; image differs by " << mean << " levels on average, "
             << most << " at most");
    CHECK(worst < tolerance);
    CHECK(mean <= mean_levels);
    CHECK(most <= worst_levels);
}

}  // namespace

TEST_CASE("gpu: a short transfer matches the CPU term by term for 10 iterations, and a second backend bit for bit",
          "[gpu][transfer]") {
    // Tolerances: 1e-4 relative per loss term (float32 on both sides, sums in other orders); the images within
    // 0.1 levels on average and 2 at worst (a value near a rounding boundary may round the other way).
    const VggWeights w = random_vgg19(1, "relu5_1", 8);
    const std::vector<StyleImage> style = {{test::style_picture(40, 40), 1.0f}};
    for (PoolMode pool : {PoolMode::Average, PoolMode::Max})
        for (InitKind init : {InitKind::Content, InitKind::Noise}) {
            TransferOptions o;
            o.iterations = 10;
            o.init = init;
            o.seed = 3;
            o.pool = pool;
            o.tv_weight = 1e-3f;
            auto cpu = make_cpu_backend();
            auto gpu = make_cuda_backend();
            auto gpu2 = make_cuda_backend();  // planned separately: the same algorithms by rule
            const Run c = run(*cpu, w, o, style), g = run(*gpu, w, o, style), g2 = run(*gpu2, w, o, style);
            const std::string tag = std::string(pool == PoolMode::Max ? "max" : "avg") +
                                    (init == InitKind::Noise ? " noise" : " content");
            check_agreement(tag.c_str(), c, g, 1e-4, 0.1, 2);
            for (std::size_t i = 0; i < g.losses.size(); ++i) CHECK(g2.losses[i].total == g.losses[i].total);
            CHECK(g2.image.rgb == g.image.rgb);
        }
}

TEST_CASE("gpu: L-BFGS, blended styles, style scale and init style match the CPU for 10 iterations",
          "[gpu][transfer][lbfgs][emulated_open]") {
    // L-BFGS's curvature pairs amplify rounding differences between the backends: 1e-3 for it, 1e-4 for Adam.
    const VggWeights w = random_vgg19(2, "relu5_1", 8);
    const std::vector<StyleImage> styles = {{test::style_picture(40, 40), 0.7f}, {test::content_picture(50, 30), 0.3f}};
    for (int variant = 0; variant < 2; ++variant) {
        TransferOptions o;
        o.iterations = 10;
        o.optimizer = variant == 0 ? OptimizerKind::Lbfgs : OptimizerKind::Adam;
        o.style_scale = variant == 1 ? 1.5f : 0.0f;
        o.init = variant == 1 ? InitKind::Style : InitKind::Content;
        auto cpu = make_cpu_backend();
        auto gpu = make_cuda_backend();
        const Run c = run(*cpu, w, o, styles), g = run(*gpu, w, o, styles);
        if (variant == 0)
            check_agreement("lbfgs", c, g, 1e-3, 0.5, 8);
        else
            check_agreement("adam/scale/style", c, g, 1e-4, 0.1, 2);
    }
}

TEST_CASE("gpu: a TF32 transfer stays within 1e-2 of the CPU's strict FP32 losses for 10 iterations",
          "[gpu][transfer][tf32][emulated_open]") {
    // TF32 keeps 10 mantissa bits: convolutions and Gram matrices are ~1e-3 relative off, the squared losses
    // about twice that; 1e-2 leaves room for 10 steps of drift and still catches a wrong kernel (O(1)).
    const VggWeights w = random_vgg19(1, "relu5_1", 8);
    TransferOptions o;
    o.iterations = 10;
    o.init = InitKind::Noise;
    BackendOptions tf32;
    tf32.precision = Precision::Tf32;
    auto cpu = make_cpu_backend();
    auto gpu = make_cuda_backend(tf32);
    const std::vector<StyleImage> style = {{test::style_picture(40, 40), 1.0f}};
    check_agreement("tf32", run(*cpu, w, o, style), run(*gpu, w, o, style), 1e-2, 1.0, 16);
}

namespace {

// A batch's runs image by image: style targets made once on the backend, then the batch optimised together.
std::vector<Run> run_batch(Backend& backend, const VggWeights& w, const TransferOptions& o,
                           const std::vector<StyleImage>& styles, const std::vector<Image>& contents) {
    const StyleTargets targets = compute_style_targets(backend, w, o, contents[0].width, contents[0].height, styles);
    StyleTransfer t(backend, w, contents, targets, o);
    std::vector<Run> runs(contents.size());
    t.run([&](StyleTransfer::Iteration& it) {
        for (std::size_t k = 0; k < contents.size(); ++k) runs[k].losses.push_back(it.batch_losses()[k]);
        return true;
    });
    for (std::size_t k = 0; k < contents.size(); ++k) runs[k].image = t.image(static_cast<int>(k));
    return runs;
}

}  // namespace

TEST_CASE("gpu: a batch of 3 with style targets made once matches the CPU image by image for 10 iterations",
          "[gpu][transfer][batch]") {
    const VggWeights w = random_vgg19(1, "relu5_1", 8);
    const std::vector<StyleImage> style = {{test::style_picture(40, 40), 1.0f}};
    const std::vector<Image> contents = {test::content_picture(64, 48), test::style_picture(64, 48),
                                         resize_image(test::content_picture(31, 45), 64, 48)};
    TransferOptions o;
    o.iterations = 10;
    o.init = InitKind::Noise;
    o.tv_weight = 1e-3f;
    auto cpu = make_cpu_backend();
    auto gpu = make_cuda_backend();
    const std::vector<Run> c = run_batch(*cpu, w, o, style, contents), g = run_batch(*gpu, w, o, style, contents);
    for (std::size_t k = 0; k < contents.size(); ++k)
        check_agreement(("batch image " + std::to_string(k)).c_str(), c[k], g[k], 1e-4, 0.1, 2);
}

TEST_CASE("gpu: a video frame's temporal loss matches the CPU for 10 iterations", "[gpu][transfer][video]") {
    const VggWeights w = random_vgg19(1, "relu5_1", 8);
    TransferOptions o;
    o.iterations = 10;
    o.temporal_weight = 50.0f;
    o.temporal_target = test::style_picture(64, 48);
    o.temporal_mask.assign(64 * 48, 1.0f);
    for (std::size_t p = 0; p < o.temporal_mask.size(); p += 5) o.temporal_mask[p] = 0.0f;
    auto cpu = make_cpu_backend();
    auto gpu = make_cuda_backend();
    const std::vector<StyleImage> style = {{test::style_picture(40, 40), 1.0f}};
    const Run c = run(*cpu, w, o, style), g = run(*gpu, w, o, style);
    for (std::size_t i = 0; i < c.losses.size(); ++i) {
        INFO("iteration " << i << ": temporal cpu " << c.losses[i].temporal << " gpu " << g.losses[i].temporal);
        REQUIRE(c.losses[i].temporal > 0.0f);  // the term is there to compare
        CHECK(relative(g.losses[i].temporal, c.losses[i].temporal) <= 1e-4);
    }
    check_agreement("video frame", c, g, 1e-4, 0.1, 2);
}
