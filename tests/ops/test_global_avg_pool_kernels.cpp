// global_avg_pool's kernels (kernels/global_avg_pool.cuh) run by the kernel harness: bit for bit against the
// CPU backend (the same sums in the same order).
#include "../harness/kernel_checks.hpp"
#include "../support/backend_io.hpp"
#include "../support/reference_ops.hpp"
#include "global_avg_pool.cuh"

using namespace nst;
using namespace nst::test;

TEST_CASE("kernels: global average pooling equals the CPU's bit for bit", "[kernels][global_avg_pool]") {
    for (const auto& shape : {std::pair<std::size_t, std::size_t>{6, 5}, {300, 1}, {2, 1000}}) {
        // (plain copies: a lambda may not capture structured bindings in C++17)
        const std::size_t planes = std::get<0>(shape);
        const std::size_t pixels = std::get<1>(shape);
        const auto x = random_floats(planes * pixels, 4), dy = random_floats(planes, 5);
        auto cpu = twin();
        Buffer X = put(*cpu, x), Y = cpu->allocate(planes), DY = put(*cpu, dy), DX = cpu->allocate(planes * pixels);
        cpu->global_avg_pool_forward(1, static_cast<int>(planes), static_cast<std::int64_t>(pixels), X.data(), Y.data());
        cpu->global_avg_pool_backward(1, static_cast<int>(planes), static_cast<std::int64_t>(pixels), DY.data(), DX.data());
        const auto want_y = get(*cpu, Y), want_dx = get(*cpu, DX);
        for_each_schedule([&] {
            Guarded<float> Xk(x), Yk(planes), DYk(dy), DXk(planes * pixels);
            kernels::global_avg_pool_forward(planes, pixels, Xk.data(), Yk.data(), nullptr);
            kernels::global_avg_pool_backward(planes, pixels, DYk.data(), DXk.data(), nullptr);
            CHECK(same_bits(Yk.values(), want_y));
            CHECK(same_bits(DXk.values(), want_dx));
            CHECK((Yk.guards_intact() && DXk.guards_intact()));
        });
    }
}
