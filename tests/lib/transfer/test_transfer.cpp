// The style-transfer engine on the CPU backend: the notebook preset's constants, the gradient of the
// total loss with respect to the image, reproducibility, and that the loss falls.
#include <catch2/catch.hpp>

#include <cmath>

#include "../../support/reference_network.hpp"
#include "../../support/test_images.hpp"
#include "nst/error.hpp"
#include "nst/transfer.hpp"

using namespace nst;
using namespace nst::test;

TEST_CASE("the notebook preset pins every constant of the notebook", "[transfer][preset]") {
    const TransferOptions o = notebook_options();
    CHECK(o.iterations == 2000);                // ITERATIONS = 2000
    CHECK(o.optimizer == OptimizerKind::Adam);  // tf.train.AdamOptimizer(2.0)
    CHECK(o.adam.lr == 2.0f);
    CHECK(o.adam.beta1 == 0.9f);  // TensorFlow 1's defaults
    CHECK(o.adam.beta2 == 0.999f);
    CHECK(o.adam.eps == 1e-8f);
    CHECK(o.adam.flavor == AdamFlavor::TensorFlow1);
    REQUIRE(o.content_layers.size() == 1);  // content_loss_func: conv4_2 (post-ReLU)
    CHECK(canonical_layer(o.content_layers[0].layer) == "relu4_2");
    CHECK(o.content_layers[0].weight == 1.0f);
    CHECK(o.content_weight == 5.0f);      // BETA = 5
    CHECK(o.style_weight == 100.0f);      // ALPHA = 100
    REQUIRE(o.style_layers.size() == 5);  // STYLE_LAYERS
    const char* names[] = {"relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1"};
    const float weights[] = {0.5f, 1.0f, 1.5f, 3.0f, 4.0f};
    for (int i = 0; i < 5; ++i) {
        CHECK(canonical_layer(o.style_layers[i].layer) == names[i]);
        CHECK(o.style_layers[i].weight == weights[i]);
    }
    CHECK(o.tv_weight == 0.0f);                                               // no total-variation term
    CHECK(o.pool == PoolMode::Average);                                       // _avgpool, padding='SAME'
    CHECK(o.init == InitKind::Noise);                                         // generate_noise_image
    CHECK(o.noise_ratio == 0.7f);                                             // NOISE_RATIO = 0.7
    CHECK(kVggMeanRgb == std::array<float, 3>{123.68f, 116.779f, 103.939f});  // MEAN_VALUES
}

TEST_CASE("layer names: convB_K means the post-ReLU output, as in the notebook", "[transfer]") {
    CHECK(canonical_layer("conv4_2") == "relu4_2");
    CHECK(canonical_layer("relu4_2") == "relu4_2");
    CHECK(canonical_layer("pool3") == "pool3");
    CHECK_THROWS_WITH(canonical_layer("relu9_9"), Catch::StartsWith("unknown VGG-19 layer 'relu9_9'"));
}

namespace {

TransferOptions small_options() {
    TransferOptions o;
    o.content_layers = {{"relu2_2", 1.0f}};
    o.style_layers = {{"relu1_1", 1.0f}, {"relu2_1", 0.5f}, {"relu3_1", 2.0f}};
    o.content_weight = 1.0f;
    o.style_weight = 1e-3f;
    o.tv_weight = 0.01f;
    return o;
}

}  // namespace

TEST_CASE("gradcheck: the total loss with respect to the image, average and max pooling", "[transfer][gradcheck]") {
    // A 1/16-width VGG-19 to relu3_1 on a 10x9 image (odd sizes: SAME pooling on both sides). Reference:
    // the whole loss in double (tests/support/reference_network.cpp), central differences with h = 1e-2
    // pixel units on pixels of size ~50. Tolerance 1e-3 of the largest component: the engine is float32
    // end to end (features, Gram matrices of magnitude ~1e5).
    const VggWeights w = random_vgg19(3, "relu3_1", 16);
    const Image content = content_picture(10, 9), style = style_picture(7, 8);
    for (PoolMode pool : {PoolMode::Average, PoolMode::Max}) {
        TransferOptions o = small_options();
        o.pool = pool;
        auto backend = make_cpu_backend();
        StyleTransfer t(*backend, w, content, style, o);
        const std::vector<float> xf = random_floats(3 * 10 * 9, 50, -60, 60);
        std::vector<float> g;
        const Losses l = t.loss_and_gradient(xf, &g);
        const Vec x = to_double(xf);
        CHECK(l.total == Approx(reference_total_loss(w, o, content, style, x)).epsilon(1e-4));
        const Vec numeric =
            numeric_gradient([&](const Vec& v) { return reference_total_loss(w, o, content, style, v); }, x, 1e-2);
        INFO((pool == PoolMode::Max ? "max" : "average") << " pooling");
        CHECK(relative_max_error(g, numeric) < 1e-3);
    }
}

TEST_CASE("a short run lowers the loss, and the same seed reproduces it bit for bit", "[transfer]") {
    const VggWeights w = random_vgg19(1, "relu5_1", 8);
    const Image content = content_picture(48, 36), style = style_picture(40, 40);
    for (InitKind init : {InitKind::Content, InitKind::Noise}) {
        TransferOptions o;  // the default layers and weights, 1/8 of VGG-19's channels
        o.init = init;
        o.seed = 7;
        o.iterations = 15;
        std::vector<Losses> runs[2];
        Image images[2];
        for (int r = 0; r < 2; ++r) {
            auto backend = make_cpu_backend();
            StyleTransfer t(*backend, w, content, style, o);
            t.run([&](StyleTransfer::Iteration& it) {
                runs[r].push_back(it.losses());
                return true;
            });
            images[r] = t.image();
        }
        INFO((init == InitKind::Noise ? "noise" : "content") << " init");
        REQUIRE(runs[0].size() == 16);  // the initial image and the image after each of 15 steps
        CHECK(runs[0].back().total < 0.5 * runs[0].front().total);
        for (std::size_t i = 0; i < runs[0].size(); ++i) {
            CHECK(runs[0][i].total == runs[1][i].total);
            CHECK(runs[0][i].style == runs[1][i].style);
        }
        CHECK(images[0].rgb == images[1].rgb);
        if (init == InitKind::Content) CHECK(runs[0].front().content == 0.0f);
    }
}

TEST_CASE("a different noise seed gives a different start; the callback can stop the run", "[transfer]") {
    const VggWeights w = random_vgg19(1, "relu3_1", 16);
    TransferOptions o = small_options();
    o.init = InitKind::Noise;
    o.iterations = 50;
    float first[2];
    for (int seed = 0; seed < 2; ++seed) {
        o.seed = static_cast<std::uint64_t>(seed);
        auto backend = make_cpu_backend();
        StyleTransfer t(*backend, w, content_picture(20, 16), style_picture(20, 16), o);
        int calls = 0;
        const int steps = t.run([&](StyleTransfer::Iteration& it) {
            if (it.index() == 0) first[seed] = it.losses().total;
            return ++calls < 4;
        });
        CHECK(steps == 3);
        CHECK(calls == 4);
    }
    CHECK(first[0] != first[1]);
}

TEST_CASE("bad engine options are refused before any work", "[transfer][errors]") {
    const VggWeights w = random_vgg19(1, "relu3_1", 16);
    auto backend = make_cpu_backend();
    const Image c = content_picture(16, 16), s = style_picture(16, 16);
    TransferOptions o = small_options();
    o.iterations = -1;
    CHECK_THROWS_WITH(StyleTransfer(*backend, w, c, s, o), "iterations -1 (must be >= 0)");
    o = small_options();
    o.style_weight = std::nanf("");
    CHECK_THROWS_WITH(StyleTransfer(*backend, w, c, s, o), "style_weight nan (must be a finite number >= 0)");
    o = small_options();
    o.style_layers = {{"relu4_1", 1.0f}};  // the weights stop at relu3_1
    CHECK_THROWS_WITH(StyleTransfer(*backend, w, c, s, o), Catch::Contains("needs conv3_2"));
    o = small_options();
    // A transfer that does not fit its memory budget even in the smallest tiles is refused from the estimate
    // before anything is allocated (one that fits in tiles runs tiled: test_tiling.cpp).
    o.max_memory = std::size_t(1) << 20;
    CHECK_THROWS_WITH(StyleTransfer(*backend, w, content_picture(512, 512), s, o),
                      Catch::StartsWith("a 512x512 transfer does not fit in 1 MiB even in 4 px tiles (about "));
    CHECK(backend->peak_memory() == 0);
}

TEST_CASE("normalising the network makes every channel's mean activation 1 and keeps it up to scale",
          "[transfer][normalize]") {
    // 1/16 of VGG-19's channels through relu5_1 on a 40x30 picture and its mirror image as references.
    const VggWeights original = random_vgg19(4, "relu5_1", 16);
    VggWeights w = original;
    const Image a = content_picture(40, 30), b = style_picture(40, 30);
    auto backend = make_cpu_backend();
    normalize_network(*backend, w, {a, b}, PoolMode::Average);
    const auto fa = reference_features(w, PoolMode::Average, image_planes(a, w.mean_rgb), 30, 40, "relu5_1");
    const auto fb = reference_features(w, PoolMode::Average, image_planes(b, w.mean_rgb), 30, 40, "relu5_1");
    const auto before = reference_features(original, PoolMode::Average, image_planes(a, w.mean_rgb), 30, 40, "relu5_1");
    int layers = 0, live = 0;
    for (const ConvWeights& c : w.convs) {
        const std::string name = "relu" + c.name.substr(4);
        const ReferenceFeature& x = fa.at(name);
        const ReferenceFeature& y = fb.at(name);
        const std::size_t plane = std::size_t(x.height) * x.width;
        for (int ch = 0; ch < x.channels; ++ch) {
            double mean = 0.0;
            for (std::size_t i = 0; i < plane; ++i) mean += x.values[ch * plane + i] + y.values[ch * plane + i];
            mean /= 2.0 * static_cast<double>(plane);
            INFO(name << " channel " << ch);
            if (mean == 0.0) continue;  // dead on both references: left alone
            CHECK(mean == Approx(1.0).epsilon(1e-4));
            ++live;
            // Up to scale, the same function: the normalised channel is a positive multiple of the original
            // (compared where the original is not tiny: there float-rounded weights leave cancellation noise).
            const ReferenceFeature& o = before.at(name);
            double ratio = 0.0, peak = 0.0;
            for (std::size_t i = 0; i < plane; ++i) peak = std::max(peak, o.values[ch * plane + i]);
            for (std::size_t i = 0; i < plane; ++i)
                if (o.values[ch * plane + i] > 1e-2 * peak) {
                    const double r = x.values[ch * plane + i] / o.values[ch * plane + i];
                    if (ratio == 0.0) ratio = r;
                    CHECK(r == Approx(ratio).epsilon(1e-3));
                }
        }
        ++layers;
    }
    CHECK(layers == 13);
    CHECK(live > 13 * 4);  // most channels are alive
}
