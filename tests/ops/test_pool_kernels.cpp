// pool's kernels (kernels/pool.cuh: TensorFlow 'SAME' pooling at odd sizes, where cuDNN would drop a row)
// run by the kernel harness: forward and backward, average and max, bit for bit against the CPU backend
// (shared/pool.hpp's formulas on both sides), at odd, even, single-pixel and one-sided-odd sizes, with ties
// in max windows so that "the first maximum takes the gradient" is exercised.
#include <cmath>

#include "../harness/kernel_checks.hpp"
#include "../support/backend_io.hpp"
#include "../support/reference_ops.hpp"
#include "pool.cuh"

using namespace nst;
using namespace nst::test;

TEST_CASE("kernels: SAME pooling forward and backward equal the CPU's at any size", "[kernels][pool]") {
    for (PoolMode mode : {PoolMode::Average, PoolMode::Max})
        for (const auto& shape : {std::tuple{3, 5, 7}, std::tuple{8, 9, 10}, std::tuple{2, 1, 1}, std::tuple{1, 3, 2},
                               std::tuple{64, 75, 100}, std::tuple{4, 33, 17}}) {
            // (plain copies: a lambda may not capture structured bindings in C++17)
            const int c = std::get<0>(shape);
            const int h = std::get<1>(shape);
            const int w = std::get<2>(shape);
            const PoolShape s{1, c, h, w, mode};
            const std::size_t xs = std::size_t(c) * h * w, ys = std::size_t(c) * s.out_height() * s.out_width();
            auto x = random_floats(xs, 111);
            for (std::size_t i = 0; i < xs; i += 7) x[i] = std::round(x[i] * 2.0f) / 2.0f;  // ties in some windows
            const auto dy = random_floats(ys, 112);
            auto cpu = twin();
            Buffer X = put(*cpu, x), Y = cpu->allocate(ys), DY = put(*cpu, dy), DX = cpu->allocate(xs);
            cpu->pool_forward(s, X.data(), Y.data());
            cpu->pool_backward(s, X.data(), Y.data(), DY.data(), DX.data());
            const std::vector<float> want_y = get(*cpu, Y), want_dx = get(*cpu, DX);
            INFO((mode == PoolMode::Max ? "max " : "avg ") << c << " x " << h << " x " << w);
            for_each_schedule([&] {
                Guarded<float> Xk(x), Yk(ys), DYk(dy), DXk(xs);
                const bool is_max = mode == PoolMode::Max;
                kernels::same_pool_forward(Xk.data(), std::size_t(c), h, w, is_max, Yk.data(), nullptr);
                kernels::same_pool_backward(Xk.data(), Yk.data(), DYk.data(), std::size_t(c), h, w, is_max, DXk.data(),
                                            nullptr);
                CHECK(same_bits(Yk.values(), want_y));
                CHECK(same_bits(DXk.values(), want_dx));
                CHECK((Xk.guards_intact() && Yk.guards_intact() && DYk.guards_intact() && DXk.guards_intact()));
            });
        }
}
