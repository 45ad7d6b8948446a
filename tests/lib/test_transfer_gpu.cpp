// The end-to-end GPU-vs-CPU check: the same short transfer on both backends (strict FP32), losses of the
// initial image and of the first 10 steps within 1e-4 relative; and the GPU run reproduced bit for bit.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>

#include "../support/test_images.hpp"
#include "nst/transfer.hpp"

using namespace nst;

namespace {

std::vector<Losses> run(Backend& backend, const VggWeights& w, const TransferOptions& o, Image* image) {
    StyleTransfer t(backend, w, test::content_picture(64, 48), test::style_picture(40, 40), o);
    std::vector<Losses> losses;
    t.run([&](StyleTransfer::Iteration& it) {
        losses.push_back(it.losses());
        return true;
    });
    *image = t.image();
    return losses;
}

}  // namespace

TEST_CASE("gpu: a short transfer matches the CPU's losses within 1e-4 for 10 iterations", "[gpu][transfer]") {
    const VggWeights w = random_vgg19(1, "relu5_1", 8);
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
            Image ci, gi, gi2;
            const auto c = run(*cpu, w, o, &ci);
            const auto g = run(*gpu, w, o, &gi);
            const auto g2 = run(*gpu, w, o, &gi2);
            REQUIRE(c.size() == 11);
            REQUIRE(g.size() == 11);
            double worst = 0.0;
            for (std::size_t i = 0; i < c.size(); ++i) {
                const double rel = std::abs(double(g[i].total) - c[i].total) / std::abs(double(c[i].total));
                worst = std::max(worst, rel);
                std::printf("%s %s it %2zu  cpu %.9g  gpu %.9g  rel %.2e\n", pool == PoolMode::Max ? "max" : "avg",
                            init == InitKind::Noise ? "noise  " : "content", i, double(c[i].total), double(g[i].total),
                            rel);
                CHECK(g2[i].total == g[i].total);
            }
            INFO("worst relative difference " << worst);
            CHECK(worst < 1e-4);
            CHECK(gi2.rgb == gi.rgb);
        }
}

TEST_CASE("gpu: L-BFGS, blended styles, style scale and init style match the CPU for 10 iterations",
          "[gpu][transfer][lbfgs]") {
    // L-BFGS's curvature pairs amplify rounding differences between the backends: 1e-3 for it, 1e-4 for Adam.
    const VggWeights w = random_vgg19(2, "relu5_1", 8);
    const Image content = test::content_picture(64, 48);
    const std::vector<StyleImage> styles = {{test::style_picture(40, 40), 0.7f}, {test::content_picture(50, 30), 0.3f}};
    for (int variant = 0; variant < 2; ++variant) {
        TransferOptions o;
        o.iterations = 10;
        o.optimizer = variant == 0 ? OptimizerKind::Lbfgs : OptimizerKind::Adam;
        o.style_scale = variant == 1 ? 1.5f : 0.0f;
        o.init = variant == 1 ? InitKind::Style : InitKind::Content;
        auto cpu = make_cpu_backend();
        auto gpu = make_cuda_backend();
        std::vector<Losses> c, g;
        StyleTransfer tc(*cpu, w, content, styles, o), tg(*gpu, w, content, styles, o);
        tc.run([&](StyleTransfer::Iteration& it) {
            c.push_back(it.losses());
            return true;
        });
        tg.run([&](StyleTransfer::Iteration& it) {
            g.push_back(it.losses());
            return true;
        });
        REQUIRE(c.size() == g.size());
        double worst = 0.0;
        for (std::size_t i = 0; i < c.size(); ++i) {
            const double rel = std::abs(double(g[i].total) - c[i].total) / std::abs(double(c[i].total));
            worst = std::max(worst, rel);
            std::printf("%s it %2zu  cpu %.9g  gpu %.9g  rel %.2e\n", variant == 0 ? "lbfgs" : "adam/scale/style", i,
                        double(c[i].total), double(g[i].total), rel);
        }
        INFO("worst relative difference " << worst);
        CHECK(worst < (variant == 0 ? 1e-3 : 1e-4));
    }
}

TEST_CASE("gpu: a TF32 transfer stays within 1e-2 of the CPU's strict FP32 losses for 10 iterations",
          "[gpu][transfer][tf32]") {
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
    Image ci, gi;
    const auto c = run(*cpu, w, o, &ci);
    const auto g = run(*gpu, w, o, &gi);
    REQUIRE(c.size() == g.size());
    double worst = 0.0;
    for (std::size_t i = 0; i < c.size(); ++i) {
        const double rel = std::abs(double(g[i].total) - c[i].total) / std::abs(double(c[i].total));
        worst = std::max(worst, rel);
        std::printf("tf32 it %2zu  cpu %.9g  gpu %.9g  rel %.2e\n", i, double(c[i].total), double(g[i].total), rel);
    }
    INFO("worst relative difference " << worst);
    CHECK(worst < 1e-2);
}
