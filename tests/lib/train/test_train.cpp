// Training ResNet-50 on the CPU backend: the whole network's gradient against finite differences of its loss
// (the narrow network, channels / 8), the optimiser steps, learning on the synthetic data, evaluation, and the
// weight files (round trip, Keras's element order from an independently written file, every error).
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>

#include "../../support/mat_builder.hpp"
#include "../../support/reference_resnet.hpp"
#include "nst/error.hpp"
#include "nst/train.hpp"

using namespace nst;
using namespace nst::test;

namespace {

const ResNetConfig kNarrow{32, 10, 8};

std::unique_ptr<Backend> cpu() {
    return make_cpu_backend();
}

TrainOptions options(int batch, std::uint64_t seed = 3) {
    TrainOptions o;
    o.batch = batch;
    o.seed = seed;
    return o;
}

std::vector<std::uint32_t> identity(int n) {
    return epoch_order(n, 0, 1, false);
}

// Synthetic images relabelled into the narrow network's 10 classes.
ImageSet narrow_set(int count, std::uint64_t seed) {
    ImageSet s = synthetic_cifar(count, 0, seed).train;
    for (auto& l : s.labels) l = static_cast<std::uint8_t>(l % 10);
    s.classes = 10;
    return s;
}

double norm(const std::vector<float>& v, std::size_t begin, std::size_t end) {
    double s = 0.0;
    for (std::size_t i = begin; i < end; ++i) s += double(v[i]) * v[i];
    return std::sqrt(s);
}

}  // namespace

// For every trainable tensor T, the derivative of the loss along T's gradient direction d = g_T/|g_T| is
// |g_T|. The gradient g comes from the CPU backend (float32); the derivative from central differences of
// the same loss computed in double by the textbook ops (reference_resnet.hpp), with a step that changes the
// loss by about 1e-5: exact to far better than the float32 gradient. A tensor whose backward is wrong
// (missing, scaled, transposed, another layer's) fails its own check. Tolerance 5e-3 of |g_T|: the float32
// gradient's own error, measured at worst 2.8e-4 here (batch 8; with 4 images per batch normalisation, some
// 1x1 channels of conv5 have almost no variance and float32 drifts to 2 %). The convolution biases that
// batch normalisation cancels have a zero gradient (up to rounding): below 1e-6 of the largest |g_T|.
TEST_CASE("gradcheck: the narrow ResNet's gradient of every tensor matches differences of its double loss",
          "[train][gradcheck]") {
    auto be = cpu();
    ResNetTrainer t(*be, kNarrow, options(8));
    const ImageSet set = narrow_set(8, 5);
    std::vector<float> g;
    const float loss = t.loss_and_gradients(set, identity(8), 0, 8, &g);
    const std::vector<float> theta = t.trainable_parameters();
    const Vec p(theta.begin(), theta.end()), images(set.pixels.begin(), set.pixels.end());
    const std::vector<float> labels(set.labels.begin(), set.labels.end());
    CHECK(loss == Approx(reference_resnet_loss(t.spec(), p, images, labels)).epsilon(1e-4));
    double largest = 0.0;
    for (const auto& info : t.tensors())
        if (info.trainable) largest = std::max(largest, norm(g, info.offset, info.offset + info.size));
    int checked = 0, flat = 0;
    for (const auto& info : t.tensors()) {
        if (!info.trainable) continue;
        const double gn = norm(g, info.offset, info.offset + info.size);
        INFO(info.name << ": |g| " << gn);
        if (gn < 1e-6 * largest) {
            ++flat;
            continue;
        }
        const double h = 1e-5 / gn;
        auto loss_at = [&](double step) {
            Vec q = p;
            for (std::size_t i = info.offset; i < info.offset + info.size; ++i) q[i] += step * g[i] / gn;
            return reference_resnet_loss(t.spec(), q, images, labels);
        };
        const double numeric = (loss_at(h) - loss_at(-h)) / (2 * h);
        INFO("finite differences " << numeric);
        CHECK(std::abs(numeric - gn) <= 5e-3 * gn);
        ++checked;
    }
    CHECK(checked == 161);  // the 53 convolutions' kernels, γ and β, and the dense layer's kernel and bias
    CHECK(flat == 53);      // the 53 convolution biases
}

TEST_CASE("a few Adam steps on one batch lower its loss; SGD too; the same seed repeats bit for bit", "[train]") {
    const ImageSet set = narrow_set(8, 6);
    const auto order = identity(8);
    for (TrainOptimizer opt : {TrainOptimizer::Adam, TrainOptimizer::Sgd}) {
        auto run = [&] {
            auto be = cpu();
            TrainOptions o = options(8);
            o.optimizer = opt;
            // Raw 0..255 pixels make the first layers' gradients of order 1e4: plain SGD needs a tiny step.
            if (opt == TrainOptimizer::Sgd) o.lr = 3e-9f, o.momentum = 0.9f;
            ResNetTrainer t(*be, kNarrow, o);
            std::vector<float> losses;
            for (int i = 0; i < 12; ++i) losses.push_back(t.train_step(set, order, 0, 8).loss);
            return losses;
        };
        const auto a = run(), b = run();
        std::string trace;
        for (float l : a) trace += " " + std::to_string(l);
        INFO((opt == TrainOptimizer::Adam ? "adam:" : "sgd:") << trace);
        CHECK(a == b);
        const float last4 = (a[8] + a[9] + a[10] + a[11]) / 4;
        CHECK(last4 < 0.8f * a.front());
    }
}

TEST_CASE("fit on synthetic data: Keras's step counts, running means, the loss falls", "[train]") {
    auto be = cpu();
    TrainOptions o = options(16);
    o.epochs = 3;
    ResNetTrainer t(*be, kNarrow, o);
    Dataset data{narrow_set(200, 7), narrow_set(40, 8)};
    std::vector<StepReport> steps;
    std::vector<EpochReport> epochs;
    const FitResult r = fit(t, data, {[&](const StepReport& s) { return steps.push_back(s), true; },
                                      [&](const EpochReport& e) { return epochs.push_back(e), true; }});
    CHECK(r.steps == 39);  // 200 / 16: 12 full batches and one of 8, three epochs
    CHECK(r.epochs == 3);
    REQUIRE(epochs.size() == 3);
    CHECK(steps[12].step == 13);
    CHECK(steps[12].steps == 13);
    CHECK(steps[13].epoch == 2);
    CHECK(epochs[2].last);
    CHECK(epochs[0].test.images == 40);
    CHECK(epochs[2].loss < epochs[0].loss);
    double weighted = 0.0;
    for (int i = 0; i < 13; ++i) weighted += double(steps[std::size_t(i)].batch.loss) * (i == 12 ? 8 : 16);
    CHECK(steps[12].mean_loss == Approx(weighted / 200).epsilon(1e-6));
    CHECK(t.steps_done() == 39);
}

TEST_CASE("fit stops after --steps, and when a callback says so", "[train]") {
    auto be = cpu();
    TrainOptions o = options(16);
    o.epochs = 5;
    o.steps = 5;
    ResNetTrainer t(*be, kNarrow, o);
    Dataset data{narrow_set(64, 9), narrow_set(16, 10)};
    std::vector<EpochReport> epochs;
    FitResult r = fit(t, data, {nullptr, [&](const EpochReport& e) { return epochs.push_back(e), true; }});
    CHECK(r.steps == 5);
    CHECK_FALSE(r.stopped);
    REQUIRE(epochs.size() == 2);  // four steps of epoch 1, one of epoch 2
    CHECK(epochs[1].steps == 1);
    CHECK(epochs[1].last);
    int seen = 0;
    r = fit(t, data, {[&](const StepReport&) { return ++seen < 2; }, nullptr});
    CHECK(r.stopped);
    CHECK(r.steps == 2);
}

TEST_CASE("epoch orders: a seeded permutation per epoch, or file order", "[train]") {
    const auto a = epoch_order(1000, 1, 1, true), b = epoch_order(1000, 1, 1, true), c = epoch_order(1000, 1, 2, true);
    CHECK(a == b);
    CHECK(a != c);
    std::vector<std::uint32_t> sorted = a;
    std::sort(sorted.begin(), sorted.end());
    CHECK(sorted == epoch_order(1000, 1, 1, false));
    CHECK(epoch_order(3, 9, 4, false) == std::vector<std::uint32_t>{0, 1, 2});
}

TEST_CASE("the training memory estimate is the CPU backend's peak after steps and an evaluation, exactly",
          "[train][memory]") {
    for (auto [config, batch, optimizer] : {std::tuple{kNarrow, 8, TrainOptimizer::Adam},
                                            std::tuple{kNarrow, 5, TrainOptimizer::Sgd},
                                            std::tuple{ResNetConfig{}, 4, TrainOptimizer::Adam}}) {
        auto be = cpu();
        TrainOptions o = options(batch);
        o.optimizer = optimizer;
        if (optimizer == TrainOptimizer::Sgd) o.momentum = 0.9f;
        const std::size_t estimate = estimate_training_memory(*be, config, o);
        ResNetTrainer t(*be, config, o);
        ImageSet set = synthetic_cifar(batch + 3, 0, 1).train;
        for (auto& l : set.labels) l = static_cast<std::uint8_t>(l % config.classes);
        t.train_step(set, identity(set.count), 0, batch);
        t.train_step(set, identity(set.count), std::size_t(batch), 3);  // a short batch
        t.evaluate(set);
        INFO("batch " << batch << ", width / " << config.width_divisor);
        CHECK(be->peak_memory() == estimate);
    }
    // Far beyond any machine's memory: refused with the estimate, before anything is allocated.
    auto be = cpu();
    TrainOptions huge = options(4096);
    CHECK_THROWS_WITH(ResNetTrainer(*be, ResNetConfig{1024, 100, 1}, huge),
                      Catch::Contains("training ResNet-50 at batch 4096 needs about") && Catch::Contains("use a smaller batch"));
    CHECK(be->peak_memory() == 0);
}

TEST_CASE("bad training options and batches are refused before any work", "[train]") {
    auto be = cpu();
    TrainOptions o = options(0);
    CHECK_THROWS_WITH(ResNetTrainer(*be, kNarrow, o), Catch::Contains("batch 0"));
    o = options(4);
    o.lr = -1;
    CHECK_THROWS_WITH(ResNetTrainer(*be, kNarrow, o), Catch::Contains("lr -1"));
    ResNetTrainer t(*be, kNarrow, options(4));
    ImageSet set = narrow_set(4, 1);
    CHECK_THROWS_WITH(t.train_step(set, identity(4), 0, 5), Catch::Contains("a batch of 5"));
    set.labels[2] = 10;
    CHECK_THROWS_WITH(t.train_step(set, identity(4), 0, 4), Catch::Contains("has label 10"));
}

TEST_CASE("weights round-trip through a MAT file bit for bit, moving statistics included", "[train][weights]") {
    const std::string dir = scratch_dir("resnet_weights");
    auto be = cpu();
    ResNetTrainer a(*be, kNarrow, options(4, 1));
    const ImageSet set = narrow_set(4, 2);
    a.train_step(set, identity(4), 0, 4);  // moving statistics away from 0 and 1
    a.save_weights(dir + "/w.mat");
    ResNetTrainer b(*be, kNarrow, options(4, 2));
    CHECK(b.trainable_parameters() != a.trainable_parameters());
    b.load_weights(dir + "/w.mat");
    CHECK(b.trainable_parameters() == a.trainable_parameters());
    CHECK(b.moving_statistics() == a.moving_statistics());
    CHECK(b.evaluate(set).loss == a.evaluate(set).loss);
    // A full-width network refuses the narrow file, naming the first tensor that differs.
    ResNetTrainer full(*be, ResNetConfig{32, 10, 1}, options(1));
    CHECK_THROWS_WITH(full.load_weights(dir + "/w.mat"),
                      Catch::Contains("'conv1_conv_kernel' is 7x7x3x8, expected 7x7x3x64"));
}

namespace {

MatVariable variable(const std::string& name, std::vector<std::size_t> dims) {
    MatVariable v;
    v.name = name;
    v.dims = std::move(dims);
    return v;
}

// Every tensor of the narrow network as a file written without libnst: value(name, MATLAB index).
std::vector<MatVariable> keras_variables(const ResNetTrainer& t, const std::function<double(const std::string&, std::size_t)>& value) {
    const ResNetSpec& s = t.spec();
    std::vector<MatVariable> vars;
    auto conv_bn = [&](const ConvBnSpec& c) {
        const ConvShape& k = c.conv;
        const std::size_t out = std::size_t(k.out_channels);
        vars.push_back(variable(c.name + "_conv_kernel", {std::size_t(k.kernel), std::size_t(k.kernel), std::size_t(k.in_channels), out}));
        for (const char* v : {"_conv_bias", "_bn_gamma", "_bn_beta", "_bn_moving_mean", "_bn_moving_variance"})
            vars.push_back(variable(c.name + v, {1, out}));
    };
    for (const ConvBnSpec* c : conv_bn_layers(s)) conv_bn(*c);
    vars.push_back(variable("predictions_kernel", {std::size_t(s.features), std::size_t(s.config.classes)}));
    vars.push_back(variable("predictions_bias", {std::size_t(s.config.classes), 1}));  // N x 1 is accepted too
    for (MatVariable& v : vars) {
        const std::string name = v.name;
        v.value = [name, value](std::size_t j) { return value(name, j); };
    }
    return vars;
}

}  // namespace

TEST_CASE("weights written without libnst land where Keras's order puts them", "[train][weights]") {
    const std::string dir = scratch_dir("resnet_keras_order");
    auto be = cpu();
    ResNetTrainer t(*be, kNarrow, options(1));
    // Every element encodes its MATLAB linear index, so each can be traced.
    write_variables_mat(dir + "/k.mat", keras_variables(t, [](const std::string& name, std::size_t j) {
                            return name.find("moving_variance") != std::string::npos ? 1.0 + j : 1e-3 * double(j);
                        }));
    t.load_weights(dir + "/k.mat");
    const auto p = t.trainable_parameters();
    std::size_t kernel = 0, dense = 0;
    for (const auto& info : t.tensors()) {
        if (info.name == "conv1_conv_kernel") kernel = info.offset;
        if (info.name == "predictions_kernel") dense = info.offset;
    }
    // conv1: Keras [kh][kw][cin][cout] = [7][7][3][8]; ours [cout][cin][kh][kw]. Element (co 5, ci 2, kh 1, kw 4)
    // sits at MATLAB index kh + 7 (kw + 7 (ci + 3 co)).
    CHECK(p[kernel + ((5 * 3 + 2) * 7 + 1) * 7 + 4] == Approx(1e-3 * (1 + 7 * (4 + 7 * (2 + 3 * 5)))));
    // predictions: Keras [inputs][outputs] = [256][10]; ours row-major inputs x outputs.
    CHECK(p[dense + 17 * 10 + 3] == Approx(1e-3 * (17 + 256 * 3)));
    // A missing tensor, a wrong class, a non-finite value: refused, and nothing changes.
    auto vars = keras_variables(t, [](const std::string&, std::size_t) { return 0.5; });
    vars.pop_back();
    write_variables_mat(dir + "/missing.mat", vars);
    CHECK_THROWS_WITH(t.load_weights(dir + "/missing.mat"), Catch::Contains("has no variable 'predictions_bias'"));
    vars = keras_variables(t, [](const std::string&, std::size_t) { return 0.5; });
    vars[0].data_class = MAT_C_INT32;
    write_variables_mat(dir + "/int.mat", vars);
    CHECK_THROWS_WITH(t.load_weights(dir + "/int.mat"), Catch::Contains("'conv1_conv_kernel' are int32"));
    vars = keras_variables(t, [](const std::string& n, std::size_t j) { return n == "conv1_bn_beta" && j == 3 ? NAN : 0.5; });
    write_variables_mat(dir + "/nan.mat", vars);
    CHECK_THROWS_WITH(t.load_weights(dir + "/nan.mat"), Catch::Contains("'conv1_bn_beta' holds a non-finite value"));
    CHECK(t.trainable_parameters() == p);
    CHECK_THROWS_WITH(t.load_weights(dir + "/none.mat"), Catch::Contains("no such file"));
}
