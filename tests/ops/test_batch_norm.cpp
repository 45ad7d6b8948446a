// batch_norm: training forward (batch statistics, moving statistics updated), inference forward and the
// training backward, ReLU fused or not. CPU against the textbook formulas in double (1e-6 of the largest
// reference value: float32 elementwise work on double statistics); the backward also by finite differences of
// <r, y> in double; the fused ReLU's backward is the plain one on the masked gradient, exactly; the CUDA
// backend (libnst's kernels) against the CPU at test shapes and at every batch-norm shape of ResNet-50.
#include <catch2/catch.hpp>

#include <cmath>

#include "../support/reference_training.hpp"
#include "nst/resnet.hpp"
#include "op_checks.hpp"
#include "../support/device_kind.hpp"

using namespace nst;
using namespace nst::test;

namespace {

const BatchNormShape kShapes[] = {
    {4, 8, 5, 3},   // a few images of odd size
    {64, 16, 1, 1}, // one pixel per image: statistics over the batch only (ResNet's conv5 at 32x32)
    {1, 3, 1, 1},   // one value per channel: variance 0, the moving variance takes the biased 0
    {2, 5, 17, 9},  // more values per channel than a thread block's 256 threads
};

constexpr double kEps = 1.001e-5;

std::string name(const char* op, const BatchNormShape& s, bool relu) {
    return std::string(op) + " " + std::to_string(s.batch) + "x" + std::to_string(s.channels) + "x" +
           std::to_string(s.height) + "x" + std::to_string(s.width) + (relu ? " +relu" : "");
}

// Inputs {x, γ, β, moving mean, moving var}; output [y | saved mean | saved inv_std | moving mean | moving var].
Op training_op(const BatchNormShape& s, bool relu) {
    return [s, relu](OpBackend& be, const std::vector<Buffer>& in, float* out) {
        const std::size_t n = s.size(), c = std::size_t(s.channels);
        be.copy(in[3].data(), out + n + 2 * c, c);
        be.copy(in[4].data(), out + n + 3 * c, c);
        BatchNormParams p;
        p.relu = relu;
        be.batch_norm_forward_training(s, p, in[0].data(), in[1].data(), in[2].data(), out, out + n, out + n + c,
                                       out + n + 2 * c, out + n + 3 * c);
    };
}

// Inputs {x, y, dy, γ, saved mean, saved inv_std, dγ start, dβ start}; output [dx | dγ | dβ].
Op backward_op(const BatchNormShape& s, bool relu, bool accumulate) {
    return [s, relu, accumulate](OpBackend& be, const std::vector<Buffer>& in, float* out) {
        const std::size_t n = s.size(), c = std::size_t(s.channels);
        be.copy(in[6].data(), out + n, c);
        be.copy(in[7].data(), out + n + c, c);
        BatchNormParams p;
        p.relu = relu;
        be.batch_norm_backward(s, p, in[0].data(), in[1].data(), in[2].data(), in[3].data(), in[4].data(),
                               in[5].data(), out, out + n, out + n + c, accumulate);
    };
}

struct Inputs {
    std::vector<float> x, gamma, beta, moving_mean, moving_var;
    explicit Inputs(const BatchNormShape& s, std::uint64_t seed)
        : x(random_floats(s.size(), seed, -3, 5)),
          gamma(random_floats(std::size_t(s.channels), seed + 1, 0.5f, 2.0f)),
          beta(random_floats(std::size_t(s.channels), seed + 2)),
          moving_mean(random_floats(std::size_t(s.channels), seed + 3)),
          moving_var(random_floats(std::size_t(s.channels), seed + 4, 0.5f, 2.0f)) {}
};

Vec slice(const std::vector<float>& v, std::size_t begin, std::size_t count) {
    return Vec(v.begin() + std::ptrdiff_t(begin), v.begin() + std::ptrdiff_t(begin + count));
}

}  // namespace

TEST_CASE("cpu batch norm (training) normalises with the batch statistics and updates the moving ones",
          "[ops][batch_norm]") {
    auto b = cpu_backend();
    for (const BatchNormShape& s : kShapes)
        for (bool relu : {false, true}) {
            const Inputs in(s, 1);
            const std::size_t n = s.size(), c = std::size_t(s.channels);
            const auto out = run(*b, {in.x, in.gamma, in.beta, in.moving_mean, in.moving_var}, n + 4 * c, training_op(s, relu));
            const auto ref = batch_norm(s, to_double(in.x), to_double(in.gamma), to_double(in.beta), kEps, relu);
            Vec inv_std(c), mm(c), mv(c);
            const double count = double(s.per_channel());
            for (std::size_t k = 0; k < c; ++k) {
                inv_std[k] = 1.0 / std::sqrt(ref.variance[k] + kEps);
                mm[k] = 0.99 * in.moving_mean[k] + 0.01 * ref.mean[k];
                const double unbiased = count > 1 ? ref.variance[k] * count / (count - 1) : ref.variance[k];
                mv[k] = 0.99 * in.moving_var[k] + 0.01 * unbiased;
            }
            INFO(name("bn", s, relu));
            CHECK(relative_max_error(slice(out, 0, n), ref.y) < 1e-6);
            CHECK(relative_max_error(slice(out, n, c), ref.mean) < 1e-6);
            CHECK(relative_max_error(slice(out, n + c, c), inv_std) < 1e-6);
            CHECK(relative_max_error(slice(out, n + 2 * c, c), mm) < 1e-6);
            CHECK(relative_max_error(slice(out, n + 3 * c, c), mv) < 1e-6);
        }
}

TEST_CASE("cpu batch norm (inference) uses the moving statistics", "[ops][batch_norm]") {
    auto b = cpu_backend();
    for (const BatchNormShape& s : kShapes)
        for (bool relu : {false, true}) {
            const Inputs in(s, 2);
            Buffer X = put(*b, in.x), G = put(*b, in.gamma), B = put(*b, in.beta), M = put(*b, in.moving_mean),
                   V = put(*b, in.moving_var), Y = poisoned(*b, s.size());
            BatchNormParams p;
            p.relu = relu;
            b->batch_norm_forward_inference(s, p, X.data(), G.data(), B.data(), M.data(), V.data(), Y.data());
            INFO(name("bn inference", s, relu));
            CHECK(relative_max_error(get(*b, Y), batch_norm_inference(s, to_double(in.x), to_double(in.gamma), to_double(in.beta),
                                                                      to_double(in.moving_mean), to_double(in.moving_var),
                                                                      kEps, relu)) < 1e-6);
        }
}

// Runs the training forward on the CPU and returns [x, y, dy, γ, saved mean, saved inv_std, dγ0, dβ0], the
// backward's inputs.
std::vector<std::vector<float>> backward_inputs(OpBackend& b, const BatchNormShape& s, bool relu, std::uint64_t seed) {
    const Inputs in(s, seed);
    const std::size_t n = s.size(), c = std::size_t(s.channels);
    const auto f = run(b, {in.x, in.gamma, in.beta, in.moving_mean, in.moving_var}, n + 4 * c, training_op(s, relu));
    return {in.x,
            std::vector<float>(f.begin(), f.begin() + std::ptrdiff_t(n)),
            random_floats(n, seed + 7),
            in.gamma,
            std::vector<float>(f.begin() + std::ptrdiff_t(n), f.begin() + std::ptrdiff_t(n + c)),
            std::vector<float>(f.begin() + std::ptrdiff_t(n + c), f.begin() + std::ptrdiff_t(n + 2 * c)),
            random_floats(c, seed + 8),
            random_floats(c, seed + 9)};
}

TEST_CASE("cpu batch norm backward matches the textbook gradients, set or accumulated", "[ops][batch_norm]") {
    auto b = cpu_backend();
    for (const BatchNormShape& s : kShapes)
        for (bool relu : {false, true})
            for (bool accumulate : {false, true}) {
                const auto in = backward_inputs(*b, s, relu, 3);
                const std::size_t n = s.size(), c = std::size_t(s.channels);
                const auto out = run(*b, in, n + 2 * c, backward_op(s, relu, accumulate));
                // β only shifts y: the reference recomputes the forward from x, γ and the same β as the run.
                const Inputs original(s, 3);
                const auto g = batch_norm_gradients(s, to_double(in[0]), to_double(in[3]), to_double(original.beta),
                                                    to_double(in[2]), kEps, relu);
                Vec dgamma = g.dgamma, dbeta = g.dbeta;
                if (accumulate)
                    for (std::size_t k = 0; k < c; ++k) {
                        dgamma[k] += in[6][k];
                        dbeta[k] += in[7][k];
                    }
                INFO(name("bn backward", s, relu) << " accumulate " << accumulate);
                CHECK(relative_max_error(slice(out, 0, n), g.dx) < 1e-5);
                CHECK(relative_max_error(slice(out, n, c), dgamma) < 1e-6);
                CHECK(relative_max_error(slice(out, n + c, c), dbeta) < 1e-6);
            }
}

TEST_CASE("cpu batch norm backward: the fused ReLU is the plain backward of the masked gradient; dx may be dy",
          "[ops][batch_norm]") {
    auto b = cpu_backend();
    const BatchNormShape s{4, 8, 5, 3};
    auto in = backward_inputs(*b, s, true, 4);
    const std::size_t n = s.size(), c = std::size_t(s.channels);
    const auto fused = run(*b, in, n + 2 * c, backward_op(s, true, false));
    for (std::size_t i = 0; i < n; ++i)
        if (!(in[1][i] > 0.0f)) in[2][i] = 0.0f;
    CHECK(bit_identical(fused, run(*b, in, n + 2 * c, backward_op(s, false, false))));
    Buffer X = put(*b, in[0]), Y = put(*b, in[1]), DY = put(*b, in[2]), G = put(*b, in[3]), M = put(*b, in[4]),
           V = put(*b, in[5]), DG = b->allocate(c), DB = b->allocate(c);
    b->batch_norm_backward(s, BatchNormParams{}, X.data(), Y.data(), DY.data(), G.data(), M.data(), V.data(), DY.data(),
                           DG.data(), DB.data(), false);
    CHECK(bit_identical(get(*b, DY), std::vector<float>(fused.begin(), fused.begin() + std::ptrdiff_t(n))));
}

TEST_CASE("gradcheck: batch norm backward is the gradient of <r, bn(x; γ, β)>", "[gradcheck][batch_norm]") {
    auto b = cpu_backend();
    const BatchNormShape s{3, 2, 2, 3};
    const auto in = backward_inputs(*b, s, false, 5);
    const Inputs original(s, 5);
    const std::size_t n = s.size(), c = std::size_t(s.channels);
    const auto out = run(*b, in, n + 2 * c, backward_op(s, false, false));
    const Vec x = to_double(in[0]), gamma = to_double(in[3]), beta = to_double(original.beta);
    const auto& r = in[2];
    auto loss = [&](const Vec& xv, const Vec& gv, const Vec& bv) { return project(batch_norm(s, xv, gv, bv, kEps, false).y, r); };
    CHECK(relative_max_error(slice(out, 0, n), numeric_gradient([&](const Vec& v) { return loss(v, gamma, beta); }, x, kH)) <
          kGradTolerance);
    CHECK(relative_max_error(slice(out, n, c), numeric_gradient([&](const Vec& v) { return loss(x, v, beta); }, gamma, kH)) <
          kGradTolerance);
    CHECK(relative_max_error(slice(out, n + c, c), numeric_gradient([&](const Vec& v) { return loss(x, gamma, v); }, beta, kH)) <
          kGradTolerance);
}

namespace {

std::vector<BatchNormShape> gpu_shapes() {
    std::vector<BatchNormShape> shapes(std::begin(kShapes), std::end(kShapes));
    // On the emulated device at 1/8 of the width and batch 8: its kernels' barriers run on fibers there.
    ResNetConfig config;
    config.width_divisor = test::gpu_size(1, 8);
    for (const ConvShape& c : resnet50_conv_shapes(config, test::gpu_size(64, 8)))
        shapes.push_back({c.batch, c.out_channels, c.out_height(), c.out_width()});
    return shapes;
}

}  // namespace

TEST_CASE("gpu: batch norm training forward, inference and backward match the CPU", "[gpu][batch_norm]") {
    Pair p = backends();
    for (const BatchNormShape& s : gpu_shapes())
        for (bool relu : {false, true}) {
            const Inputs in(s, 11);
            const std::size_t n = s.size(), c = std::size_t(s.channels);
            check_op(p, name("bn training", s, relu), {in.x, in.gamma, in.beta, in.moving_mean, in.moving_var}, n + 4 * c,
                     training_op(s, relu));
            check_op(p, name("bn inference", s, relu), {in.x, in.gamma, in.beta, in.moving_mean, in.moving_var}, n,
                     [s, relu](OpBackend& be, const std::vector<Buffer>& v, float* y) {
                         BatchNormParams bp;
                         bp.relu = relu;
                         be.batch_norm_forward_inference(s, bp, v[0].data(), v[1].data(), v[2].data(), v[3].data(),
                                                         v[4].data(), y);
                     });
            const auto back = backward_inputs(*p.cpu, s, relu, 12);
            for (bool accumulate : {false, true})
                check_op(p, name(accumulate ? "bn backward (accumulated)" : "bn backward", s, relu), back, n + 2 * c,
                         backward_op(s, relu, accumulate));
        }
}
