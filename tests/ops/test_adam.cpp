// adam: one Adam step in TensorFlow 1's and PyTorch's flavours. CPU against the update in double over five
// steps; the CUDA backend against the CPU.
#include <catch2/catch.hpp>

#include <cmath>

#include "op_checks.hpp"

using namespace nst;
using namespace nst::test;

TEST_CASE("cpu Adam follows TensorFlow 1's and PyTorch's updates", "[ops][adam]") {
    auto b = cpu_backend();
    for (AdamFlavor flavor : {AdamFlavor::TensorFlow1, AdamFlavor::PyTorch}) {
        AdamParams p;
        p.lr = 2.0f;
        p.flavor = flavor;
        const std::size_t n = 50;
        auto x = random_floats(n, 24, -100, 100);
        Vec xd = to_double(x), md(n, 0.0), vd(n, 0.0);
        Buffer X = put(*b, x), G = b->allocate(n), Mb = b->allocate(n), Vb = b->allocate(n);
        b->fill(Mb.data(), n, 0.0f);
        b->fill(Vb.data(), n, 0.0f);
        for (int t = 1; t <= 5; ++t) {
            const auto g = random_floats(n, 100 + t, -3, 3);
            b->upload(g.data(), G.data(), n);
            b->adam_step(X.data(), G.data(), Mb.data(), Vb.data(), n, t, p);
            const double b1 = p.beta1, b2 = p.beta2;
            for (std::size_t i = 0; i < n; ++i) {
                md[i] = b1 * md[i] + (1 - b1) * g[i];
                vd[i] = b2 * vd[i] + (1 - b2) * double(g[i]) * g[i];
                const double c1 = 1 - std::pow(b1, t), c2 = 1 - std::pow(b2, t);
                if (flavor == AdamFlavor::TensorFlow1)
                    xd[i] -= p.lr * std::sqrt(c2) / c1 * md[i] / (std::sqrt(vd[i]) + p.eps);
                else
                    xd[i] -= p.lr * (md[i] / c1) / (std::sqrt(vd[i] / c2) + p.eps);
            }
        }
        INFO((flavor == AdamFlavor::TensorFlow1 ? "TF1" : "PyTorch"));
        CHECK(relative_max_error(get(*b, X), xd) < 1e-6);
    }
    // Step 1 moves every element by lr (the bias-corrected m/sqrt(v) is ±1), TensorFlow-style.
    Buffer X = put(*b, {0.0f, 0.0f}), G = put(*b, {3.0f, -0.5f}), Mb = put(*b, {0.0f, 0.0f}),
           Vb = put(*b, {0.0f, 0.0f});
    b->adam_step(X.data(), G.data(), Mb.data(), Vb.data(), 2, 1, AdamParams{});
    const auto x1 = get(*b, X);
    CHECK(x1[0] == Approx(-2.0f).epsilon(1e-6));
    CHECK(x1[1] == Approx(2.0f).epsilon(1e-6));
    CHECK_THROWS_WITH(b->adam_step(X.data(), G.data(), Mb.data(), Vb.data(), 2, 0, AdamParams{}),
                      Catch::Contains("steps count from 1"));
}

TEST_CASE("gpu: Adam (both flavours) matches the CPU", "[gpu][adam]") {
    Pair p = backends();
    const std::size_t n = 100001;
    const auto x = random_floats(n, 122, -100, 100), g = random_floats(n, 123, -5, 5);
    for (AdamFlavor flavor : {AdamFlavor::TensorFlow1, AdamFlavor::PyTorch}) {
        AdamParams params;
        params.flavor = flavor;
        check_op(p, std::string("adam x5 ") + (flavor == AdamFlavor::PyTorch ? "pytorch" : "tf1"), {x, g}, n,
                 [&](OpBackend& be, const std::vector<Buffer>& in, float* out) {
                     Buffer m = be.allocate(n), v = be.allocate(n);
                     be.fill(m.data(), n, 0.0f);
                     be.fill(v.data(), n, 0.0f);
                     be.copy(in[0].data(), out, n);
                     for (int t = 1; t <= 5; ++t) be.adam_step(out, in[1].data(), m.data(), v.data(), n, t, params);
                     be.synchronize();
                 });
    }
}
