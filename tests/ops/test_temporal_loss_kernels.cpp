// temporal_loss's kernels (kernels/temporal_loss.cuh) run by the kernel harness: the gradient bit for bit
// against the CPU backend (shared/temporal_loss.hpp's formula on both sides), the value against the CPU's
// double sum (the reduction's order differs: 1e-6 relative), at odd sizes.
#include "../harness/kernel_checks.hpp"
#include "../support/backend_io.hpp"
#include "../support/reference_ops.hpp"
#include "temporal_loss.cuh"

using namespace nst;
using namespace nst::test;

TEST_CASE("kernels: the temporal loss and its gradient equal the CPU's", "[kernels][temporal_loss]") {
    for (const auto& shape : {std::pair{3, std::int64_t(30 * 41)}, std::pair{1, std::int64_t(1)},
                        std::pair{3, std::int64_t(7)}, std::pair{2, std::int64_t(257)}}) {
        // (plain copies: a lambda may not capture structured bindings in C++17)
        const int C = std::get<0>(shape);
        const std::int64_t P = std::get<1>(shape);
        const std::size_t n = std::size_t(C) * static_cast<std::size_t>(P);
        const auto x = random_floats(n, 131), w = random_floats(n, 132), prior = random_floats(n, 134);
        std::vector<float> c = random_floats(static_cast<std::size_t>(P), 133);
        for (float& v : c) v = v < 0.0f ? 0.0f : 1.0f;
        auto cpu = twin();
        Buffer X = put(*cpu, x), W = put(*cpu, w), Cm = put(*cpu, c), dx = put(*cpu, prior), loss = cpu->allocate(1);
        cpu->temporal_loss(C, P, X.data(), W.data(), Cm.data(), 0.4f, loss.data(), dx.data());
        const std::vector<float> want = get(*cpu, dx);
        const float want_loss = get(*cpu, loss)[0];
        const double cp = double(C) * double(P);
        INFO(C << " x " << P);
        for_each_schedule([&] {
            Guarded<float> xk(x), wk(w), ck(c), dxk(prior), out(1);
            Guarded<double> partials(kernels::kReduceBlocks);
            kernels::temporal_sum(xk.data(), wk.data(), ck.data(), P, n, 0.4 / cp, partials.data(), out.data(),
                                  nullptr);
            kernels::temporal_gradient(xk.data(), wk.data(), ck.data(), P, n, static_cast<float>(2.0 * 0.4 / cp),
                                       dxk.data(), nullptr);
            CHECK(same_bits(dxk.values(), want));
            CHECK(out.values()[0] == Approx(want_loss).epsilon(1e-6));
            CHECK((xk.guards_intact() && wk.guards_intact() && ck.guards_intact() && dxk.guards_intact() &&
                   out.guards_intact() && partials.guards_intact()));
        });
    }
}
