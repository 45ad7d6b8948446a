// content_loss: weight · Σ(F−P)²/(4CM) and its gradient, set and accumulated. CPU against the formula in
// double, by finite differences, and the CUDA backend against the CPU.
#include <catch2/catch.hpp>

#include <cmath>

#include "op_checks.hpp"

using namespace nst;
using namespace nst::test;

TEST_CASE("cpu content loss: value and gradient", "[ops][content_loss]") {
    auto b = cpu_backend();
    const int C = 4;
    const std::int64_t M = 35;
    const auto F = random_floats(std::size_t(C) * M, 17), P = random_floats(std::size_t(C) * M, 18);
    Buffer FB = put(*b, F), PB = put(*b, P), L = poisoned(*b, 1), DF = poisoned(*b, std::size_t(C) * M);
    b->content_loss(FB.data(), PB.data(), C, M, 5.0f, L.data(), DF.data(), false);
    CHECK(get_scalar(*b, L.data()) == Approx(content_loss(to_double(F), to_double(P), C, M, 5.0)).epsilon(1e-6));
    const auto df = get(*b, DF);
    for (std::size_t i = 0; i < df.size(); ++i)
        CHECK(df[i] == Approx(5.0 * (double(F[i]) - P[i]) / (2.0 * C * M)).epsilon(1e-6));
}

TEST_CASE("gradcheck: content loss", "[gradcheck][content_loss]") {
    auto b = make_cpu_op_backend();
    const int C = 2;
    const std::int64_t M = 12;
    const auto F = random_floats(C * M, 39), P = random_floats(C * M, 40);
    Buffer FB = put(*b, F), PB = put(*b, P), L = poisoned(*b, 1), DF = poisoned(*b, C * M);
    b->content_loss(FB.data(), PB.data(), C, M, 5.0f, L.data(), DF.data(), false);
    const Vec numeric =
        numeric_gradient([&](const Vec& f) { return content_loss(f, to_double(P), C, M, 5.0); }, to_double(F), kH);
    CHECK(relative_max_error(get(*b, DF), numeric) < kGradTolerance);
}

TEST_CASE("gpu: content loss value and gradient match the CPU", "[gpu][content_loss]") {
    Pair p = backends();
    for (auto [C, H, W] : {std::tuple{64, 30, 41}, std::tuple{1, 1, 1}, std::tuple{3, 7, 1}}) {
        const std::size_t n = std::size_t(C) * H * W;
        const auto F = random_floats(n, 117), P = random_floats(n, 118), prior = random_floats(n, 119);
        const std::string tag = std::to_string(C) + "x" + std::to_string(H) + "x" + std::to_string(W);
        for (bool accumulate : {false, true})
            for (bool want_loss : {false, true})
                check_op(p,
                         "content " + tag +
                             (want_loss    ? " loss"
                              : accumulate ? " grad+="
                                           : " grad"),
                         {F, P, prior}, want_loss ? 1 : n,
                         [&, C = C, H = H, W = W](OpBackend& be, const std::vector<Buffer>& in, float* out) {
                             Buffer grad = be.allocate(n), loss = poisoned(be, 1);
                             be.copy(in[2].data(), grad.data(), n);
                             be.content_loss(in[0].data(), in[1].data(), C, std::int64_t(H) * W, 5.0f, loss.data(),
                                             grad.data(), accumulate);
                             be.copy(want_loss ? loss.data() : grad.data(), out, want_loss ? 1 : n);
                             be.synchronize();
                         });
    }
}
