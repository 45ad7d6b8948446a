// vector's kernels (kernels/vector.cuh) run by the kernel harness against the CPU backend: fill, axpy, scale,
// the device-scalar ops, bit for bit, at sizes around the block size, one element, and past the grid cap
// (65535 blocks of 256), where the grid-stride loop wraps.
#include "../harness/kernel_checks.hpp"
#include "../support/backend_io.hpp"
#include "../support/reference_ops.hpp"
#include "vector.cuh"

using namespace nst;
using namespace nst::test;

namespace {

constexpr std::size_t kSizes[] = {1, 255, 256, 257, 100003};

// The CPU backend's result of `op` on copies of x and y (y is the one changed).
std::vector<float> on_cpu(const std::vector<float>& x, const std::vector<float>& y,
                          const std::function<void(OpBackend&, const float*, float*, std::size_t)>& op) {
    auto cpu = twin();
    Buffer X = put(*cpu, x), Y = put(*cpu, y);
    op(*cpu, X.data(), Y.data(), x.size());
    return get(*cpu, Y);
}

}  // namespace

TEST_CASE("kernels: fill, axpy and scale equal the CPU's bit for bit, all sizes", "[kernels][vector]") {
    for (std::size_t n : kSizes) {
        const auto x = random_floats(n, 1, -3, 3), y = random_floats(n, 2, -3, 3);
        INFO("n = " << n);
        for_each_schedule([&] {
            Guarded<float> X(x), Y(y), F(n);
            kernels::axpy(-0.75f, X.data(), Y.data(), n, nullptr);
            kernels::scale(1.5f, Y.data(), n, nullptr);
            kernels::fill(F.data(), n, 2.5f, nullptr);
            CHECK(same_bits(Y.values(), on_cpu(x, y, [](OpBackend& b, const float* px, float* py, std::size_t m) {
                b.axpy(-0.75f, px, py, m);
                b.scale(1.5f, py, m);
            })));
            CHECK(F.values() == std::vector<float>(n, 2.5f));
            CHECK((X.guards_intact() && Y.guards_intact() && F.guards_intact()));
        });
    }
}

TEST_CASE("kernels: the device-scalar ops equal the CPU's", "[kernels][vector][lbfgs]") {
    const std::size_t n = 77777;
    const auto x = random_floats(n, 3, -3, 3), y = random_floats(n, 4, -3, 3);
    // scalars: [alpha, num, den, zero]
    Guarded<float> S(std::vector<float>{0.625f, 3.5f, 7.0f, 0.0f}), X(x), Y(y), out(std::vector<float>(4, 9.0f));
    kernels::axpy_scalar(-1.0f, S.data(), X.data(), Y.data(), n, nullptr);
    kernels::scale_scalar(S.data() + 1, Y.data(), n, nullptr);
    const float* s = S.data();
    kernels::scalar_ratio(s + 1, s + 2, s + 2, 1e-10f, 0.0f, out.data(), nullptr);       // 0.5
    kernels::scalar_ratio(s + 1, s + 3, s + 3, 1e-10f, 0.0f, out.data() + 1, nullptr);   // gate (den) 0: fallback 0
    kernels::scalar_ratio(s + 1, s + 3, s + 3, 1e-10f, -1.0f, out.data() + 2, nullptr);  // kept: 9
    kernels::scalar_subtract(S.data(), S.data() + 1, out.data() + 3, nullptr);                  // -2.875
    CHECK(out.values() == std::vector<float>{0.5f, 0.0f, 9.0f, -2.875f});
    CHECK(same_bits(Y.values(), on_cpu(x, y, [](OpBackend& b, const float* px, float* py, std::size_t m) {
        const float alpha = 0.625f, scale = 3.5f;
        b.axpy_scalar(-1.0f, &alpha, px, py, m);
        b.scale_scalar(&scale, py, m);
    })));
    CHECK((S.guards_intact() && X.guards_intact() && Y.guards_intact() && out.guards_intact()));
}

TEST_CASE("kernels: past the grid cap every thread wraps round its grid-stride loop", "[kernels][vector][large]") {
    // 65535 blocks of 256 threads cover 16,776,960 elements; 1,000,000 more make every thread with an index
    // below 1,000,000 take a second turn.
    const std::size_t n = std::size_t(65535) * 256 + 1000000;
    std::vector<float> x(n), y(n, 1.0f);
    for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<float>(i % 1024);
    Guarded<float> X(x), Y(y);
    harness::reset_counts();
    kernels::axpy(2.0f, X.data(), Y.data(), n, nullptr);
    CHECK(harness::counts().blocks == 65535);
    const std::vector<float> got = Y.values();
    std::size_t wrong = 0;
    for (std::size_t i = 0; i < n; ++i) wrong += got[i] != 1.0f + 2.0f * x[i];
    CHECK(wrong == 0);
    CHECK((X.guards_intact() && Y.guards_intact()));
}
