// temporal_loss: Ruder et al.'s short-term temporal term of the video (masked squared difference to the
// previous frame's warped result) and its gradient, added to dx. CPU against the formula in double, by finite
// differences, and the CUDA backend against the CPU.
#include <catch2/catch.hpp>

#include <cmath>

#include "op_checks.hpp"

using namespace nst;
using namespace nst::test;

namespace {

// weight Σ c[i mod P] (x−w)² / (C P) in double.
double temporal_reference(int C, std::int64_t P, const Vec& x, const Vec& w, const Vec& c, double weight) {
    double s = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i) s += c[i % static_cast<std::size_t>(P)] * (x[i] - w[i]) * (x[i] - w[i]);
    return weight * s / (double(C) * double(P));
}

// A mask of 0s and 1s (about a third zero) and a few fractional weights.
std::vector<float> mask(std::int64_t pixels, std::uint64_t seed) {
    std::vector<float> c = random_floats(static_cast<std::size_t>(pixels), seed);
    for (float& v : c) v = v < -0.3f ? 0.0f : (v > 0.8f ? 0.5f : 1.0f);
    return c;
}

}  // namespace

TEST_CASE("cpu temporal loss: value against the formula, the gradient added to dx", "[ops][temporal_loss]") {
    auto b = cpu_backend();
    for (auto [C, P] :
         {std::pair{3, std::int64_t(35)}, std::pair{1, std::int64_t(1)}, std::pair{5, std::int64_t(17)}}) {
        const std::size_t n = std::size_t(C) * static_cast<std::size_t>(P);
        const auto x = random_floats(n, 21), w = random_floats(n, 22), c = mask(P, 23), prior = random_floats(n, 24);
        Buffer X = put(*b, x), W = put(*b, w), Cm = put(*b, c), L = poisoned(*b, 1), DX = put(*b, prior);
        b->temporal_loss(C, P, X.data(), W.data(), Cm.data(), 0.6f, L.data(), DX.data());
        INFO(C << " x " << P);
        CHECK(get_scalar(*b, L.data()) ==
              Approx(temporal_reference(C, P, to_double(x), to_double(w), to_double(c), 0.6)).epsilon(1e-6));
        const std::vector<float> dx = get(*b, DX);
        for (std::size_t i = 0; i < n; ++i) {  // masked pixels keep the prior exactly
            const double want =
                prior[i] + 2.0 * 0.6 * c[i % static_cast<std::size_t>(P)] * (double(x[i]) - w[i]) / (double(C) * P);
            CHECK(dx[i] == Approx(want).epsilon(1e-5).margin(1e-7));
        }
    }
}

TEST_CASE("gradcheck: temporal loss", "[gradcheck][temporal_loss]") {
    auto b = make_cpu_op_backend();
    const int C = 3;
    const std::int64_t P = 4 * 5;
    const auto x = random_floats(std::size_t(C) * P, 41), w = random_floats(std::size_t(C) * P, 42);
    const auto c = mask(P, 43);
    Buffer X = put(*b, x), W = put(*b, w), Cm = put(*b, c), L = poisoned(*b, 1), DX = b->allocate(x.size());
    b->fill(DX.data(), x.size(), 0.0f);
    b->temporal_loss(C, P, X.data(), W.data(), Cm.data(), 0.7f, L.data(), DX.data());
    const Vec numeric = numeric_gradient(
        [&](const Vec& xv) { return temporal_reference(C, P, xv, to_double(w), to_double(c), 0.7); }, to_double(x), kH);
    CHECK(relative_max_error(get(*b, DX), numeric) < kGradTolerance);
}

TEST_CASE("gpu: temporal loss value and gradient match the CPU", "[gpu][temporal_loss]") {
    Pair p = backends();
    for (auto [C, P] :
         {std::pair{3, std::int64_t(301 * 207)}, std::pair{1, std::int64_t(1)}, std::pair{3, std::int64_t(7)}}) {
        const std::size_t n = std::size_t(C) * static_cast<std::size_t>(P);
        const auto x = random_floats(n, 117), w = random_floats(n, 118), c = mask(P, 119),
                   prior = random_floats(n, 120);
        const std::string tag = std::to_string(C) + "x" + std::to_string(P);
        for (bool want_loss : {false, true})
            check_op(p, "temporal " + tag + (want_loss ? " loss" : " grad+="), {x, w, c, prior}, want_loss ? 1 : n,
                     [&, C = C, P = P](OpBackend& be, const std::vector<Buffer>& in, float* out) {
                         Buffer grad = be.allocate(n), loss = poisoned(be, 1);
                         be.copy(in[3].data(), grad.data(), n);
                         be.temporal_loss(C, P, in[0].data(), in[1].data(), in[2].data(), 0.3f, loss.data(),
                                          grad.data());
                         be.copy(want_loss ? loss.data() : grad.data(), out, want_loss ? 1 : n);
                         be.synchronize();
                     });
    }
}
