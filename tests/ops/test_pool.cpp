// pool: 2x2/stride-2 pooling with TensorFlow 'SAME' padding, average and max, forward and backward. CPU
// against the textbook pooling in double, by finite differences away from max ties, and the CUDA backend
// (cuDNN at even sizes, libnst's kernels at odd ones) against the CPU, up to 1024 px.
#include <catch2/catch.hpp>

#include <cmath>

#include "op_checks.hpp"
#include "../support/device_kind.hpp"

using namespace nst;
using namespace nst::test;

namespace {

// Pooling forward, and backward after a forward, on seeded inputs (seed, seed + 1).
void check_pool(Pair& p, const PoolShape& s, std::uint64_t seed) {
    const std::size_t xs = std::size_t(s.batch) * s.channels * s.height * s.width,
                      ys = std::size_t(s.batch) * s.channels * s.out_height() * s.out_width();
    const auto x = random_floats(xs, seed), dy = random_floats(ys, seed + 1);
    const std::string tag = std::string(s.mode == PoolMode::Max ? "max" : "avg") + " pool " +
                            std::to_string(s.channels) + "x" + std::to_string(s.height) + "x" + std::to_string(s.width);
    check_op(p, tag + " forward", {x}, ys, [&](OpBackend& be, const std::vector<Buffer>& in, float* y) {
        be.pool_forward(s, in[0].data(), y);
    });
    check_op(p, tag + " backward", {x, dy}, xs, [&](OpBackend& be, const std::vector<Buffer>& in, float* dx) {
        Buffer y = be.allocate(ys);
        be.pool_forward(s, in[0].data(), y.data());
        be.pool_backward(s, in[0].data(), y.data(), in[1].data(), dx);
        be.synchronize();
    });
}

}  // namespace

TEST_CASE("cpu pooling follows TensorFlow's SAME padding at odd sizes", "[ops][pool]") {
    auto b = cpu_backend();
    for (PoolMode mode : {PoolMode::Average, PoolMode::Max})
        for (auto [h, w] : {std::pair{4, 6}, std::pair{5, 7}, std::pair{1, 1}, std::pair{3, 2}, std::pair{9, 9}}) {
            const PoolShape s{2, 3, h, w, mode};
            const std::size_t xs = std::size_t(2) * 3 * h * w, ys = std::size_t(2) * 3 * s.out_height() * s.out_width();
            const auto x = random_floats(xs, 11), dy = random_floats(ys, 12);
            Buffer X = put(*b, x), Y = poisoned(*b, ys), DY = put(*b, dy), DX = poisoned(*b, xs);
            b->pool_forward(s, X.data(), Y.data());
            b->pool_backward(s, X.data(), Y.data(), DY.data(), DX.data());
            INFO((mode == PoolMode::Max ? "max " : "average ") << h << "x" << w);
            CHECK(relative_max_error(get(*b, Y), pool(s, to_double(x))) < 1e-6);
            CHECK(relative_max_error(get(*b, DX), pool_gradient(s, to_double(x), to_double(dy))) < 1e-6);
        }
    // 5x7 -> 3x4: the last row and column average over the pixels that exist (no zero padding counted).
    const PoolShape s{1, 1, 5, 7, PoolMode::Average};
    std::vector<float> ones(35, 1.0f);
    Buffer X = put(*b, ones), Y = poisoned(*b, 12);
    b->pool_forward(s, X.data(), Y.data());
    CHECK(get(*b, Y) == std::vector<float>(12, 1.0f));
}

TEST_CASE("gradcheck: pooling, average and max, odd sizes, away from max ties", "[gradcheck][pool]") {
    auto b = make_cpu_op_backend();
    for (PoolMode mode : {PoolMode::Average, PoolMode::Max}) {
        const PoolShape s{1, 2, 5, 7, mode};
        const std::size_t xs = 2 * 5 * 7, ys = 2 * 3 * 4;
        // Distinct values 0.01 apart (>> 2h) so that no window's maximum changes within ±h.
        std::vector<float> x(xs);
        for (std::size_t i = 0; i < xs; ++i) x[i] = static_cast<float>((i * 37 % xs)) * 0.01f;
        const auto r = random_floats(ys, 36);
        Buffer X = put(*b, x), Y = poisoned(*b, ys), R = put(*b, r), DX = poisoned(*b, xs);
        b->pool_forward(s, X.data(), Y.data());
        b->pool_backward(s, X.data(), Y.data(), R.data(), DX.data());
        const Vec numeric =
            numeric_gradient([&](const Vec& xv) { return project(pool(s, xv), r); }, to_double(x), 1e-4);
        INFO((mode == PoolMode::Max ? "max" : "average"));
        CHECK(relative_max_error(get(*b, DX), numeric) < kGradTolerance);
    }
}

TEST_CASE("gpu: pooling, cuDNN at even sizes and libnst's kernels at odd ones, match the CPU", "[gpu][pool]") {
    Pair p = backends();
    for (PoolMode mode : {PoolMode::Average, PoolMode::Max})
        for (auto [c, h, w] : {std::tuple{3, 32, 48}, std::tuple{1, 5, 7}, std::tuple{8, 9, 10}, std::tuple{2, 1, 1},
                               std::tuple{64, 75, 100}}) {
            check_pool(p, PoolShape{1, c, h, w, mode}, 111);
        }
}

// A 1024 px pass's pool1 input (64 x 1024 x 1024) and an odd 1023 px one: cuDNN and the 'SAME' kernels at
// production scale (128 and 127 px on the emulated device).
TEST_CASE("gpu: pooling at a 1024 px pass's size (64 x 1024 x 1024, and 1023) matches the CPU", "[gpu][pool][large]") {
    Pair p = backends();
    const int even = gpu_size(1024, 128);
    for (int side : {even, even - 1})  // cuDNN (even) and libnst's 'SAME' kernels (odd)
        for (PoolMode mode : {PoolMode::Average, PoolMode::Max}) check_pool(p, PoolShape{1, 64, side, side, mode}, 137);
}
