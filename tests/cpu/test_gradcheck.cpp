// Finite-difference gradient checks in double: the CPU backend's analytic gradients (float) against
// central differences of the textbook loss (double). Points are kept away from ReLU's and max-pooling's
// kinks so the difference quotient is valid. Tolerance: 1e-4 of the largest gradient component (the float
// gradient carries ~1e-6 relative error; central differences with h = 1e-3 carry ~1e-7 here).
#include <catch2/catch.hpp>

#include <cmath>

#include "../support/backend_io.hpp"
#include "../support/reference_ops.hpp"
#include "nst/backend.hpp"

using namespace nst;
using namespace nst::test;

namespace {

constexpr double kH = 1e-3;
constexpr double kTolerance = 1e-4;

// Σ r ⊙ v: a random linear functional that turns a vector output into a scalar loss.
double project(const Vec& v, const std::vector<float>& r) {
    double s = 0.0;
    for (std::size_t i = 0; i < v.size(); ++i) s += v[i] * r[i];
    return s;
}

}  // namespace

TEST_CASE("gradcheck: conv backward-data is the gradient of <r, conv(x)>", "[gradcheck][conv]") {
    auto b = make_cpu_backend();
    const ConvShape s{1, 3, 4, 5, 6};
    const std::size_t xs = 3 * 5 * 6, ys = 4 * 5 * 6;
    const auto x = random_floats(xs, 30), w = random_floats(4 * 3 * 9, 31), bias = random_floats(4, 32),
               r = random_floats(ys, 33);
    Buffer W = put(*b, w), R = put(*b, r), DX = poisoned(*b, xs);
    b->conv_backward_data(s, W.data(), R.data(), DX.data());
    const Vec numeric = numeric_gradient(
        [&](const Vec& xv) { return project(conv3x3(s, xv, to_double(w), to_double(bias), false), r); }, to_double(x),
        kH);
    CHECK(relative_max_error(get(*b, DX), numeric) < kTolerance);
}

TEST_CASE("gradcheck: ReLU backward away from the kink", "[gradcheck][relu]") {
    auto b = make_cpu_backend();
    auto x = random_floats(200, 34);
    for (float& v : x) v = v < 0 ? v - 0.05f : v + 0.05f;  // |x| >= 0.05 >> h: no sign change within ±h
    const auto r = random_floats(200, 35);
    std::vector<float> y(x);
    for (float& v : y) v = std::max(v, 0.0f);
    Buffer Y = put(*b, y), R = put(*b, r), DX = poisoned(*b, 200);
    b->relu_backward(Y.data(), R.data(), DX.data(), 200);
    const Vec numeric = numeric_gradient(
        [&](const Vec& xv) {
            double s = 0;
            for (std::size_t i = 0; i < xv.size(); ++i) s += std::max(xv[i], 0.0) * r[i];
            return s;
        },
        to_double(x), kH);
    CHECK(relative_max_error(get(*b, DX), numeric) < kTolerance);
}

TEST_CASE("gradcheck: pooling, average and max, odd sizes, away from max ties", "[gradcheck][pool]") {
    auto b = make_cpu_backend();
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
        CHECK(relative_max_error(get(*b, DX), numeric) < kTolerance);
    }
}

TEST_CASE("gradcheck: style loss with respect to the features", "[gradcheck][style]") {
    auto b = make_cpu_backend();
    const int C = 3;
    const std::int64_t M = 7;
    const auto F = random_floats(C * M, 37);
    const Vec target = gram(to_double(random_floats(C * M, 38)), C, M);
    const std::vector<float> target_f(target.begin(), target.end());
    Buffer FB = put(*b, F), AB = put(*b, target_f), S = poisoned(*b, C * C), L = poisoned(*b, 1),
           DF = poisoned(*b, C * M);
    b->style_loss(FB.data(), C, M, AB.data(), S.data(), 3.0f, L.data(), DF.data(), false);
    const Vec numeric =
        numeric_gradient([&](const Vec& f) { return style_loss(f, C, M, target, 3.0); }, to_double(F), kH);
    CHECK(relative_max_error(get(*b, DF), numeric) < kTolerance);
}

TEST_CASE("gradcheck: content and total-variation losses", "[gradcheck][content][tv]") {
    auto b = make_cpu_backend();
    const int C = 2;
    const std::int64_t M = 12;
    const auto F = random_floats(C * M, 39), P = random_floats(C * M, 40);
    Buffer FB = put(*b, F), PB = put(*b, P), L = poisoned(*b, 1), DF = poisoned(*b, C * M);
    b->content_loss(FB.data(), PB.data(), C, M, 5.0f, L.data(), DF.data(), false);
    Vec numeric =
        numeric_gradient([&](const Vec& f) { return content_loss(f, to_double(P), C, M, 5.0); }, to_double(F), kH);
    CHECK(relative_max_error(get(*b, DF), numeric) < kTolerance);

    const auto x = random_floats(2 * 4 * 5, 41);
    Buffer X = put(*b, x), TL = poisoned(*b, 1), DX = b->allocate(x.size());
    b->fill(DX.data(), x.size(), 0.0f);
    b->tv_loss(1, 2, 4, 5, X.data(), 0.7f, TL.data(), DX.data());
    numeric = numeric_gradient([&](const Vec& xv) { return tv_loss(2, 4, 5, xv, 0.7); }, to_double(x), kH);
    CHECK(relative_max_error(get(*b, DX), numeric) < kTolerance);
}
