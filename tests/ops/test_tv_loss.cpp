// tv_loss: total variation (squared differences of horizontal and vertical neighbours) and its gradient,
// added to dx. CPU against the formula in double, by finite differences, and the CUDA backend against the CPU.
#include <catch2/catch.hpp>

#include <cmath>

#include "op_checks.hpp"

using namespace nst;
using namespace nst::test;

TEST_CASE("cpu total-variation loss", "[ops][tv_loss]") {
    auto b = cpu_backend();
    const auto x = random_floats(2 * 5 * 7, 19);
    Buffer X = put(*b, x), TL = poisoned(*b, 1), DX = b->allocate(x.size());
    b->fill(DX.data(), x.size(), 0.0f);
    b->tv_loss(1, 2, 5, 7, X.data(), 0.5f, TL.data(), DX.data());
    CHECK(get_scalar(*b, TL.data()) == Approx(tv_loss(2, 5, 7, to_double(x), 0.5)).epsilon(1e-6));
}

TEST_CASE("gradcheck: total-variation loss", "[gradcheck][tv_loss]") {
    auto b = make_cpu_op_backend();
    const auto x = random_floats(2 * 4 * 5, 41);
    Buffer X = put(*b, x), TL = poisoned(*b, 1), DX = b->allocate(x.size());
    b->fill(DX.data(), x.size(), 0.0f);
    b->tv_loss(1, 2, 4, 5, X.data(), 0.7f, TL.data(), DX.data());
    const Vec numeric = numeric_gradient([&](const Vec& xv) { return tv_loss(2, 4, 5, xv, 0.7); }, to_double(x), kH);
    CHECK(relative_max_error(get(*b, DX), numeric) < kGradTolerance);
}

TEST_CASE("gpu: total-variation loss value and gradient match the CPU", "[gpu][tv_loss]") {
    Pair p = backends();
    for (auto [C, H, W] : {std::tuple{64, 30, 41}, std::tuple{1, 1, 1}, std::tuple{3, 7, 1}}) {
        const std::size_t n = std::size_t(C) * H * W;
        const auto F = random_floats(n, 117), prior = random_floats(n, 119);
        const std::string tag = std::to_string(C) + "x" + std::to_string(H) + "x" + std::to_string(W);
        for (bool want_loss : {false, true})
            check_op(p, "tv " + tag + (want_loss ? " loss" : " grad+="), {F, prior}, want_loss ? 1 : n,
                     [&, C = C, H = H, W = W](OpBackend& be, const std::vector<Buffer>& in, float* out) {
                         Buffer grad = be.allocate(n), loss = poisoned(be, 1);
                         be.copy(in[1].data(), grad.data(), n);
                         be.tv_loss(1, C, H, W, in[0].data(), 0.3f, loss.data(), grad.data());
                         be.copy(want_loss ? loss.data() : grad.data(), out, want_loss ? 1 : n);
                         be.synchronize();
                     });
    }
}
