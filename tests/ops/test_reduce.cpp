// reduce: the deterministic reductions Σ(a−b)², Σa and Σab (double accumulation, fixed order). CPU against
// a double sum and across thread counts bit for bit; the CUDA backend against the CPU up to 67M elements.
#include <catch2/catch.hpp>

#include <cmath>

#include "op_checks.hpp"
#include "../support/device_kind.hpp"

using namespace nst;
using namespace nst::test;

namespace {

// Inputs {a, b}: Σ(a−b)², Σa, Σab.
Op reductions_op(std::size_t n) {
    return [n](OpBackend& be, const std::vector<Buffer>& in, float* out) {
        be.squared_difference_sum(in[0].data(), in[1].data(), n, out);
        be.sum(in[0].data(), n, out + 1);
        be.dot(in[0].data(), in[1].data(), n, out + 2);
    };
}

}  // namespace

TEST_CASE("cpu reductions are exact to double accumulation and independent of the thread count", "[ops][reduce]") {
    const std::size_t n = 100003;
    const auto a = random_floats(n, 20), c = random_floats(n, 21);
    double sq = 0, s = 0, d = 0;
    for (std::size_t i = 0; i < n; ++i) {
        sq += (double(a[i]) - c[i]) * (double(a[i]) - c[i]);
        s += a[i];
        d += double(a[i]) * c[i];
    }
    std::vector<float> results[2];
    for (int threads : {1, 2}) {
        auto b = cpu_backend(GramMethod::Gemm, threads);
        Buffer A = put(*b, a), Cb = put(*b, c), out = poisoned(*b, 3);
        b->squared_difference_sum(A.data(), Cb.data(), n, out.data());
        b->sum(A.data(), n, out.data() + 1);
        b->dot(A.data(), Cb.data(), n, out.data() + 2);
        results[threads - 1] = get(*b, out);
    }
    CHECK(results[0][0] == Approx(sq).epsilon(1e-7));  // float rounding of a double sum
    CHECK(results[0][1] == Approx(s).epsilon(1e-7).margin(1e-6));
    CHECK(results[0][2] == Approx(d).epsilon(1e-7).margin(1e-6));
    CHECK(results[0] == results[1]);  // bit for bit
}

TEST_CASE("gpu: deterministic reductions match the CPU's double sums", "[gpu][reduce]") {
    Pair p = backends();
    for (std::size_t n : {std::size_t(1), std::size_t(255), std::size_t(65537), std::size_t(3000017)}) {
        const auto a = random_floats(n, 120), b = random_floats(n, 121);
        check_op(p, "reductions n=" + std::to_string(n), {a, b}, 3, reductions_op(n));
    }
}

// 67M elements (relu1_1 at 1024 px; 4M on the emulated device): the grid-stride loop wraps many times per
// thread.
TEST_CASE("gpu: reductions at a 1024 px pass's size (67M elements) match the CPU", "[gpu][reduce][large]") {
    Pair p = backends();
    const std::size_t n = gpu_size(std::size_t(64) * 1024 * 1024, std::size_t(4) << 20);
    auto y = random_floats(n, 135);
    for (float& v : y) v = std::max(v, 0.0f);
    const auto dy = random_floats(n, 136);
    check_op(p, "reductions n=" + std::to_string(n), {y, dy}, 3, reductions_op(n));
}
