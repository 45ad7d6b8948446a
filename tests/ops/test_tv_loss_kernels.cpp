// tv_loss's kernels (kernels/tv_loss.cuh) run by the kernel harness: the value (a reduction) and the
// gradient (added to dx) against the CPU backend, at the GPU tests' shapes, one pixel, a column, and a
// batch of odd planes.
#include "../harness/kernel_checks.hpp"
#include "../support/backend_io.hpp"
#include "../support/reference_ops.hpp"
#include "tv_loss.cuh"

using namespace nst;
using namespace nst::test;

TEST_CASE("kernels: total variation's value and gradient equal the CPU's", "[kernels][tv_loss]") {
    for (const auto& shape : {std::tuple{64, 30, 41}, std::tuple{1, 1, 1}, std::tuple{3, 7, 1}, std::tuple{6, 5, 9}}) {
        // (plain copies: a lambda may not capture structured bindings in C++17)
        const int planes = std::get<0>(shape);
        const int H = std::get<1>(shape);
        const int W = std::get<2>(shape);
        const std::size_t n = std::size_t(planes) * H * W;
        const auto x = random_floats(n, 120), prior = random_floats(n, 121);
        auto cpu = twin();
        Buffer X = put(*cpu, x), dx = put(*cpu, prior), loss = cpu->allocate(1);
        cpu->tv_loss(1, planes, H, W, X.data(), 0.3f, loss.data(), dx.data());
        const float want_loss = get_scalar(*cpu, loss.data());
        const std::vector<float> want_dx = get(*cpu, dx);
        INFO(planes << " planes of " << H << " x " << W);
        for_each_schedule([&] {
            Guarded<float> Xk(x), dxk(prior), lossk(1);
            Guarded<double> partials(kernels::kReduceBlocks);
            kernels::tv_sum(Xk.data(), planes, H, W, 0.3, partials.data(), lossk.data(), nullptr);
            kernels::tv_gradient(Xk.data(), planes, H, W, 0.3f, dxk.data(), nullptr);
            CHECK(lossk.values()[0] == Approx(want_loss).epsilon(1e-6).margin(1e-6));
            CHECK(same_bits(dxk.values(), want_dx));
            CHECK((Xk.guards_intact() && dxk.guards_intact() && lossk.guards_intact() && partials.guards_intact()));
        });
    }
}
