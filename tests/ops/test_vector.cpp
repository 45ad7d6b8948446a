// vector: fill, axpy, scale and L-BFGS's device-scalar ops (axpy_scalar, scale_scalar, scalar_ratio,
// scalar_subtract). CPU exactly against the float formulas; the CUDA backend against the CPU.
#include <catch2/catch.hpp>

#include <cmath>

#include "op_checks.hpp"

using namespace nst;
using namespace nst::test;

TEST_CASE("cpu axpy and scale", "[ops][vector]") {
    auto b = cpu_backend();
    const auto x = random_floats(77, 22), y = random_floats(77, 23);
    Buffer X = put(*b, x), Y = put(*b, y);
    b->axpy(-1.5f, X.data(), Y.data(), 77);
    b->scale(0.25f, Y.data(), 77);
    const auto r = get(*b, Y);
    for (std::size_t i = 0; i < 77; ++i) CHECK(r[i] == (y[i] + -1.5f * x[i]) * 0.25f);
}

TEST_CASE("gpu: axpy and scale match the CPU", "[gpu][vector]") {
    Pair p = backends();
    const std::size_t n = 100001;
    const auto x = random_floats(n, 122, -100, 100), g = random_floats(n, 123, -5, 5);
    check_op(p, "axpy+scale", {x, g}, n, [&](Backend& be, const std::vector<Buffer>& in, float* out) {
        be.copy(in[0].data(), out, n);
        be.axpy(-0.75f, in[1].data(), out, n);
        be.scale(1.5f, out, n);
    });
}

TEST_CASE("gpu: device-scalar ops (L-BFGS's) match the CPU", "[gpu][vector][lbfgs]") {
    Pair p = backends();
    const std::size_t n = 77777;
    const auto x = random_floats(n, 126, -3, 3), y = random_floats(n, 127, -3, 3);
    // scalars: [alpha, num, den, zero]
    const std::vector<float> scalars = {0.625f, 3.5f, 7.0f, 0.0f};
    check_op(p, "axpy_scalar + scale_scalar", {x, y, scalars}, n,
             [&](Backend& be, const std::vector<Buffer>& in, float* out) {
                 be.copy(in[1].data(), out, n);
                 be.axpy_scalar(-1.0f, in[2].data(), in[0].data(), out, n);
                 be.scale_scalar(in[2].data() + 1, out, n);
             });
    check_op(
        p, "scalar_ratio/subtract", {scalars}, 4,
        [&](Backend& be, const std::vector<Buffer>& in, float* out) {
            be.fill(out, 4, 9.0f);
            be.scalar_ratio(in[0].data() + 1, in[0].data() + 2, 1e-10f, 0.0f, out);       // 0.5
            be.scalar_ratio(in[0].data() + 1, in[0].data() + 3, 1e-10f, 0.0f, out + 1);   // den 0: fallback 0
            be.scalar_ratio(in[0].data() + 1, in[0].data() + 3, 1e-10f, -1.0f, out + 2);  // kept: 9
            be.scalar_subtract(in[0].data(), in[0].data() + 1, out + 3);                  // -2.875
        },
        0.0);
}
