// Tiled transfer (lib/src/transfer/tiling.cpp, tiled_objective.cpp): the halo computed from the network, own windows
// that partition every stage, and tiled losses and gradients equal to the untiled ones. The two differ only
// in the order float sums are taken (Gram matrices summed tile by tile, halo gradients added from several
// tiles), so they agree to float32's summation error: 1e-5 relative for the losses and the gradient's L2
// norm (measured: about 1e-6 and 1e-7), the worst element within 1e-4 of the largest.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "../../support/test_images.hpp"
#include "nst/error.hpp"
#include "nst/transfer.hpp"
#include "transfer/tiling.hpp"

using namespace nst;
using namespace nst::test;

TEST_CASE("the halo is the spoiled band beside a crop's false border, on the pooling grid", "[tiling]") {
    const VggWeights w = random_vgg19(1, "relu5_4", 8);
    struct Case {
        const char* last;
        int halo, align;
    };
    // Spoiled outputs: +1 per 3x3 convolution, halved (rounded up) per pooling: relu5_1 ends with 5 at
    // scale 16 (80 px), relu4_2 with 5 at scale 8 (40), relu3_1 with 3 at scale 4 (12), relu1_1 with 1 (1).
    for (const Case& c : {Case{"relu5_1", 80, 16}, Case{"relu4_2", 40, 8}, Case{"relu3_1", 12, 4},
                          Case{"relu1_1", 1, 1}, Case{"relu5_4", 128, 16}}) {
        const std::vector<Stage> stages = vgg_stages(w, PoolMode::Average, 100, 100, c.last);
        INFO(c.last);
        CHECK(tile_halo(stages) == c.halo);
        CHECK(tile_alignment(stages) == c.align);
    }
}

TEST_CASE("tiles' own windows partition the image and every stage", "[tiling]") {
    const VggWeights w = random_vgg19(1, "relu5_1", 8);
    for (auto [W, H, T] : {std::tuple{200, 152, 64}, std::tuple{37, 90, 16}, std::tuple{64, 64, 64}}) {
        const std::vector<Stage> stages = vgg_stages(w, PoolMode::Max, H, W, "relu5_1");
        const TilePlan plan = plan_tiles(W, H, T, tile_halo(stages));
        const std::vector<int> scales = stage_scales(stages);
        for (std::size_t k = 0; k < stages.size(); ++k) {
            std::vector<int> covered(std::size_t(stages[k].height) * stages[k].width, 0);
            bool inside = true;
            for (const Tile& t : plan.tiles) {
                const CropWindow own = own_window(t, scales[k], H, W);
                const std::vector<Stage> crop = vgg_stages(w, PoolMode::Max, t.crop.height, t.crop.width, "relu5_1");
                inside = inside && own.top >= 0 && own.left >= 0 && own.top + own.height <= crop[k].height &&
                         own.left + own.width <= crop[k].width;
                const int top = own.top + t.crop.top / scales[k], left = own.left + t.crop.left / scales[k];
                for (int r = top; r < top + own.height; ++r)
                    for (int c = left; c < left + own.width; ++c)
                        if (r < stages[k].height && c < stages[k].width)
                            ++covered[std::size_t(r) * stages[k].width + c];
            }
            INFO(W << "x" << H << " tiles of " << T << ", stage " << stages[k].name);
            CHECK(inside);
            CHECK(std::all_of(covered.begin(), covered.end(), [](int n) { return n == 1; }));
        }
    }
}

namespace {

struct Evaluation {
    Losses losses;
    std::vector<float> gradient;
};

Evaluation evaluate(const VggWeights& w, TransferOptions o, const Image& content, const std::vector<StyleImage>& styles,
                    int tile, bool* tiled, Backend* backend = nullptr) {
    std::unique_ptr<Backend> own = backend == nullptr ? make_cpu_backend() : nullptr;
    Backend* b = backend == nullptr ? own.get() : backend;
    o.tile = tile;
    StyleTransfer t(*b, w, content, styles, o);
    *tiled = t.plan().tiled;
    std::vector<float> x(std::size_t(3) * content.width * content.height);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = 40.0f * std::sin(0.37f * float(i)) + 3.0f * float(i % 7);
    Evaluation e;
    e.losses = t.loss_and_gradient(x, &e.gradient);
    return e;
}

// Losses within `tolerance` (relative), the gradient within `gradient_tolerance` (relative L2; each element within
// ten times that of the largest); the gradient's tolerance is the losses' unless given.
void check_same(const Evaluation& tiled, const Evaluation& whole, double tolerance = 1e-5, double gradient_tolerance = 0) {
    if (gradient_tolerance == 0) gradient_tolerance = tolerance;
    const float* a[] = {&tiled.losses.total, &tiled.losses.content, &tiled.losses.style, &tiled.losses.tv};
    const float* b[] = {&whole.losses.total, &whole.losses.content, &whole.losses.style, &whole.losses.tv};
    for (int i = 0; i < 4; ++i) {
        INFO("loss " << i << ": tiled " << *a[i] << ", untiled " << *b[i]);
        CHECK(std::abs(double(*a[i]) - *b[i]) <= tolerance * std::abs(double(*b[i])) + 1e-30);
    }
    double diff = 0.0, norm = 0.0, worst = 0.0, largest = 0.0;
    for (std::size_t i = 0; i < whole.gradient.size(); ++i) {
        const double d = double(tiled.gradient[i]) - whole.gradient[i];
        diff += d * d;
        norm += double(whole.gradient[i]) * whole.gradient[i];
        worst = std::max(worst, std::abs(d));
        largest = std::max(largest, std::abs(double(whole.gradient[i])));
    }
    INFO("gradient: relative L2 " << std::sqrt(diff / norm) << ", worst " << worst << " of " << largest);
    CHECK(std::sqrt(diff / norm) <= gradient_tolerance);
    CHECK(worst <= 10 * gradient_tolerance * largest);
}

}  // namespace

TEST_CASE("tiled losses and gradients equal the untiled ones", "[tiling][transfer]") {
    const VggWeights w = random_vgg19(3, "relu5_1", 8);
    const Image content = content_picture(200, 152);
    const std::vector<StyleImage> one = {{style_picture(120, 90), 1.0f}};
    const std::vector<StyleImage> two = {{style_picture(120, 90), 0.7f}, {content_picture(70, 100), 0.3f}};
    struct Case {
        const char* name;
        TransferOptions options;
        const std::vector<StyleImage>* styles;
        int tile;
    };
    std::vector<Case> cases;
    TransferOptions all;  // every VGG-19 loss layer through relu5_1, TV on
    all.content_layers = {{"relu4_2", 1.0f}, {"relu2_2", 0.5f}};
    all.tv_weight = 0.01f;
    cases.push_back({"avg pooling, 64 px tiles", all, &one, 64});
    all.pool = PoolMode::Max;
    cases.push_back({"max pooling, 48 px tiles", all, &two, 48});
    TransferOptions scaled;
    scaled.style_scale = 1.3f;
    scaled.normalize_style_layers = true;
    scaled.style_layers.push_back({"pool2", 2.0f});
    cases.push_back({"style scale 1.3, normalised layers, a pool layer, 32 px tiles", scaled, &two, 32});
    for (const Case& c : cases) {
        INFO(c.name);
        bool tiled = false, whole_tiled = true;
        const Evaluation t = evaluate(w, c.options, content, *c.styles, c.tile, &tiled);
        const Evaluation u = evaluate(w, c.options, content, *c.styles, 0, &whole_tiled);
        REQUIRE(tiled);
        REQUIRE_FALSE(whole_tiled);
        check_same(t, u);
    }
}

TEST_CASE("the tiled memory estimate is within 10 % of the CPU backend's measured peak", "[tiling][memory]") {
    const VggWeights narrow = random_vgg19(1, "relu5_1", 8), full = random_vgg19(1, "relu5_1", 1);
    const std::vector<StyleImage> one = {{style_picture(120, 90), 1.0f}};
    const std::vector<StyleImage> two = {{style_picture(120, 90), 0.6f}, {content_picture(150, 60), 0.4f}};
    struct Case {
        const char* name;
        const VggWeights* weights;
        TransferOptions options;
        const std::vector<StyleImage>* styles;
        int width, height;
        int kept;  // tiles whose activations the budget is made to keep (-1: the default budget's choice)
    };
    std::vector<Case> cases;
    TransferOptions adam;
    adam.tile = 64;
    cases.push_back({"Adam, 1/8 channels, 64 px tiles, all kept", &narrow, adam, &one, 200, 152, -1});
    cases.push_back({"Adam, 1/8 channels, 64 px tiles, none kept", &narrow, adam, &one, 200, 152, 0});
    TransferOptions lbfgs;
    lbfgs.optimizer = OptimizerKind::Lbfgs;
    lbfgs.lbfgs.history = 5;
    lbfgs.tile = 48;
    lbfgs.style_scale = 1.5f;
    cases.push_back({"L-BFGS history 5, two styles at 1.5x, 48 px tiles, 3 kept", &narrow, lbfgs, &two, 200, 152, 3});
    TransferOptions wide;
    wide.tile = 48;
    cases.push_back({"full channels, 48 px tiles, none kept", &full, wide, &one, 112, 80, 0});
    for (Case& c : cases) {
        auto b = make_cpu_backend();
        const Image content = content_picture(c.width, c.height);
        if (c.kept >= 0)  // a budget of exactly the estimate with c.kept tiles kept
            c.options.max_memory = estimate_tiled_memory(*b, *c.weights, c.options, c.width, c.height, c.options.tile,
                                                         *c.styles, c.kept);
        const TransferPlan plan = plan_transfer(*b, *c.weights, c.options, c.width, c.height, *c.styles);
        REQUIRE(plan.tiled);
        if (c.kept >= 0) CHECK(plan.kept_tiles == c.kept);
        const std::size_t estimate = estimate_tiled_memory(*b, *c.weights, c.options, c.width, c.height, c.options.tile,
                                                           *c.styles, plan.kept_tiles);
        StyleTransfer t(*b, *c.weights, content, *c.styles, c.options);
        t.step();
        t.step();
        const std::size_t peak = b->peak_memory();
        INFO(c.name << ": " << plan.kept_tiles << " kept, estimate " << estimate << " bytes, measured peak " << peak);
        CHECK(t.plan().estimate == estimate);
        CHECK(std::abs(double(estimate) - double(peak)) <= 0.1 * double(peak));
    }
}

TEST_CASE("keeping tiles' activations between the passes changes no bit", "[tiling][transfer]") {
    const VggWeights w = random_vgg19(3, "relu5_1", 8);
    const Image content = content_picture(200, 152);
    const std::vector<StyleImage> one = {{style_picture(120, 90), 1.0f}};
    TransferOptions o;
    o.tv_weight = 0.01f;
    auto b = make_cpu_backend();
    bool tiled = false;
    std::vector<Evaluation> runs;
    for (int kept : {11, 4, 0}) {  // 12 tiles: all, some, none (the last tile's forward is always reused)
        o.max_memory = estimate_tiled_memory(*b, w, o, 200, 152, 64, one, kept);
        runs.push_back(evaluate(w, o, content, one, 64, &tiled));
        REQUIRE(tiled);
    }
    for (std::size_t i = 1; i < runs.size(); ++i) {
        CHECK(runs[i].losses.total == runs[0].losses.total);
        CHECK(runs[i].gradient == runs[0].gradient);
    }
}

TEST_CASE("at 32768x32768 the planner tiles, and none of its tensors reaches 2^31 elements", "[tiling][memory]") {
    const VggWeights w = random_vgg19(1, "relu5_1", 1);
    TransferOptions o = notebook_options();
    o.max_memory = std::size_t(1) << 40;  // 1 TiB: only the tensor limit decides
    CHECK_THROWS_WITH(check_tensor_sizes(w, o, 32768, 32768), Catch::Contains("2^31 - 1"));  // untiled would
    auto b = make_cpu_backend();
    const TransferPlan plan = plan_transfer(*b, w, o, 32768, 32768);
    REQUIRE(plan.tiled);
    CHECK(plan.halo == 80);
    CHECK(plan.tile % 16 == 0);
    const int crop = std::min(32768, plan.tile + 2 * plan.halo);
    std::size_t largest = std::size_t(3) * crop * crop;
    for (const Stage& s : vgg_stages(w, o.pool, crop, crop, "relu5_1")) largest = std::max(largest, s.size());
    INFO(plan.describe() << "; largest tensor " << largest);
    CHECK(largest <= kMaxTensorElements);
    // The largest tile that fits: 16 px more would reach the limit (relu1_1: 64 channels at the crop's size).
    const int bigger = std::min(32768, plan.tile + 16 + 2 * plan.halo);
    CHECK(std::size_t(64) * bigger * bigger > kMaxTensorElements);
}

TEST_CASE("a budget the image does not fit in, even tiled, is refused before anything is allocated",
          "[tiling][errors]") {
    const VggWeights w = random_vgg19(1, "relu5_1", 8);
    TransferOptions o;
    o.max_memory = std::size_t(8) << 20;
    auto b = make_cpu_backend();
    CHECK_THROWS_WITH(plan_transfer(*b, w, o, 2048, 2048),
                      Catch::StartsWith("a 2048x2048 transfer does not fit in 8 MiB even in 16 px tiles"));
    CHECK(b->peak_memory() == 0);
    o.max_memory = std::size_t(128) << 20;
    const TransferPlan p = plan_transfer(*b, w, o, 1024, 1024);
    CHECK(p.tiled);
    CHECK(p.estimate <= o.max_memory);
    // The next tile size up would not fit: the planner takes the largest that does.
    CHECK(estimate_tiled_memory(*b, w, o, 1024, 1024, p.tile + 16) > o.max_memory);
}

TEST_CASE("gpu: a tiled evaluation on the GPU matches the CPU's untiled one and the GPU's untiled one",
          "[gpu][tiling]") {
    // GPU against CPU: losses 1e-4 (the backends' convolutions and sums differ in order, as in
    // test_transfer_gpu), the gradient 2e-3: a pre-activation within float rounding of 0 may fall on the other
    // side of its ReLU on the other backend, and its whole receptive field's gradient changes with it. On the
    // emulated device one such element of relu4_1 (average pooling, 25x19 at that layer) moved the image
    // gradient by 4.5e-4 relative L2, 728 at worst of 142280; the CPU's tiled and untiled runs, and the GPU's,
    // agreed to 2e-7. Tiled against untiled on the GPU: 1e-5, as on the CPU.
    const VggWeights w = random_vgg19(3, "relu5_1", 8);
    const Image content = content_picture(200, 152);
    const std::vector<StyleImage> two = {{style_picture(120, 90), 0.7f}, {content_picture(70, 100), 0.3f}};
    TransferOptions o;
    o.content_layers = {{"relu4_2", 1.0f}, {"relu2_2", 0.5f}};
    o.tv_weight = 0.01f;
    for (PoolMode pool : {PoolMode::Average, PoolMode::Max}) {
        o.pool = pool;
        INFO((pool == PoolMode::Max ? "max" : "avg") << " pooling");
        auto gpu = make_cuda_backend();
        bool tiled = false, whole_tiled = true, cpu_tiled = true;
        const Evaluation t = evaluate(w, o, content, two, 64, &tiled, gpu.get());
        const Evaluation u = evaluate(w, o, content, two, 0, &whole_tiled, gpu.get());
        const Evaluation c = evaluate(w, o, content, two, 0, &cpu_tiled);
        REQUIRE((tiled && !whole_tiled && !cpu_tiled));
        check_same(t, u, 1e-5);
        check_same(t, c, 1e-4, 2e-3);
    }
}

TEST_CASE("a tiled run reports each tile of both passes, in order", "[tiling]") {
    const VggWeights w = random_vgg19(2, "relu3_1", 8);
    TransferOptions o;
    o.style_layers = {{"relu1_1", 1.0f}, {"relu3_1", 1.0f}};
    o.content_layers = {{"relu2_2", 1.0f}};
    o.tile = 32;
    auto b = make_cpu_backend();
    StyleTransfer t(*b, w, content_picture(70, 40), style_picture(30, 30), o);
    REQUIRE(t.plan().tiled);
    const int tiles = t.plan().rows * t.plan().cols;
    CHECK(tiles == 6);  // 3 x 2 tiles of 32 px over 70 x 40
    std::vector<std::pair<int, int>> seen;
    t.on_tile([&](int pass, int tile, int n) {
        CHECK(n == tiles);
        seen.emplace_back(pass, tile);
    });
    t.step();
    std::vector<std::pair<int, int>> want;
    for (int pass : {1, 2})
        for (int i = 0; i < tiles; ++i) want.emplace_back(pass, i);
    CHECK(seen == want);
}
