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

TEST_CASE("cpu device-scalar ops follow their definitions, the ratio gated on its own scalar", "[ops][vector]") {
    auto b = cpu_backend();
    // scalars: [alpha 0.625, num 3.5, den 7, zero, negative -2]
    Buffer S = put(*b, {0.625f, 3.5f, 7.0f, 0.0f, -2.0f}), out = put(*b, std::vector<float>(5, 9.0f));
    const float* s = S.data();
    b->scalar_ratio(s + 1, s + 2, s + 2, 1e-10f, 0.0f, out.data());         // gate = den: 0.5
    b->scalar_ratio(s + 1, s + 2, s + 4, 1e-10f, 0.0f, out.data() + 1);     // gate -2 (L-BFGS: yᵀs < 0): fallback
    b->scalar_ratio(s + 1, s + 2, s + 3, 1e-10f, -1.0f, out.data() + 2);    // gate 0, fallback < 0: kept
    b->scalar_ratio(s + 4, s + 2, s + 1, 1e-10f, 0.0f, out.data() + 3);     // gate 3.5 > 0: -2 / 7
    b->scalar_subtract(s, s + 1, out.data() + 4);                           // -2.875
    CHECK(get(*b, out) == std::vector<float>{0.5f, 0.0f, 9.0f, -2.0f / 7.0f, -2.875f});
    Buffer X = put(*b, {1.0f, -2.0f}), Y = put(*b, {10.0f, 20.0f});
    b->axpy_scalar(-1.0f, s, X.data(), Y.data(), 2);  // y -= 0.625 x
    b->scale_scalar(s + 1, Y.data(), 2);              // y *= 3.5
    CHECK(get(*b, Y) == std::vector<float>{(10.0f - 0.625f) * 3.5f, (20.0f + 1.25f) * 3.5f});
}

TEST_CASE("gpu: axpy and scale match the CPU", "[gpu][vector]") {
    Pair p = backends();
    const std::size_t n = 100001;
    const auto x = random_floats(n, 122, -100, 100), g = random_floats(n, 123, -5, 5);
    check_op(p, "axpy+scale", {x, g}, n, [&](OpBackend& be, const std::vector<Buffer>& in, float* out) {
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
             [&](OpBackend& be, const std::vector<Buffer>& in, float* out) {
                 be.copy(in[1].data(), out, n);
                 be.axpy_scalar(-1.0f, in[2].data(), in[0].data(), out, n);
                 be.scale_scalar(in[2].data() + 1, out, n);
             });
    check_op(
        p, "scalar_ratio/subtract", {scalars}, 4,
        [&](OpBackend& be, const std::vector<Buffer>& in, float* out) {
            be.fill(out, 4, 9.0f);
            const float* s = in[0].data();
            be.scalar_ratio(s + 1, s + 2, s + 2, 1e-10f, 0.0f, out);       // 0.5
            be.scalar_ratio(s + 1, s + 3, s + 3, 1e-10f, 0.0f, out + 1);   // gate (den) 0: fallback 0
            be.scalar_ratio(s + 1, s + 3, s + 3, 1e-10f, -1.0f, out + 2);  // kept: 9
            be.scalar_subtract(in[0].data(), in[0].data() + 1, out + 3);                  // -2.875
        },
        0.0);
}
