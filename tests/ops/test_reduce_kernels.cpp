// reduce's kernels (kernels/reduce.cuh) run by the kernel harness: Σ(a−b)², Σa and Σab against the CPU
// backend's double sums, at sizes below one block, around the 256 x 256 threads of the fixed grid (where the
// grid-stride loop starts to wrap) and far beyond; and bit-identical under both schedules, because the
// reduction's order is fixed by the grid, not by which thread runs first.
#include "../harness/kernel_checks.hpp"
#include "../support/backend_io.hpp"
#include "../support/reference_ops.hpp"
#include "reduce.cuh"

using namespace nst;
using namespace nst::test;

namespace {

// {Σ(a−b)², Σa, Σab} by the kernels, with `scale` applied.
std::vector<float> on_kernels(const std::vector<float>& a, const std::vector<float>& b, double scale) {
    const std::size_t n = a.size();
    Guarded<float> A(a), B(b), out(3);
    Guarded<double> partials(kernels::kReduceBlocks);
    kernels::squared_difference_sum(A.data(), B.data(), n, scale, partials.data(), out.data(), nullptr);
    kernels::sum(A.data(), n, scale, partials.data(), out.data() + 1, nullptr);
    kernels::dot(A.data(), B.data(), n, scale, partials.data(), out.data() + 2, nullptr);
    CHECK((A.guards_intact() && B.guards_intact() && out.guards_intact() && partials.guards_intact()));
    return out.values();
}

}  // namespace

TEST_CASE("kernels: reductions equal the CPU's double sums, bit-identical under both schedules", "[kernels][reduce]") {
    for (std::size_t n : {std::size_t(1), std::size_t(255), std::size_t(65536), std::size_t(65537),
                          std::size_t(1000003)}) {
        const auto a = random_floats(n, 20), b = random_floats(n, 21);
        auto cpu = twin();
        Buffer A = put(*cpu, a), B = put(*cpu, b), out = cpu->allocate(3);
        cpu->squared_difference_sum(A.data(), B.data(), n, out.data());
        cpu->sum(A.data(), n, out.data() + 1);
        cpu->dot(A.data(), B.data(), n, out.data() + 2);
        const std::vector<float> want = get(*cpu, out);
        std::vector<float> first;
        INFO("n = " << n);
        for_each_schedule([&] {
            const std::vector<float> got = on_kernels(a, b, 1.0);
            // Both sum in double in different fixed orders and round once: within a float's last bits.
            for (int k = 0; k < 3; ++k) CHECK(got[k] == Approx(want[k]).epsilon(1e-6).margin(1e-6));
            if (first.empty()) first = got;
            CHECK(same_bits(got, first));
        });
    }
}

TEST_CASE("kernels: a reduction's scale is applied once, to the double sum", "[kernels][reduce]") {
    const std::vector<float> a(1000, 0.5f), b(1000, 0.0f);
    const std::vector<float> got = on_kernels(a, b, 0.25);
    CHECK(got == std::vector<float>{62.5f, 125.0f, 0.0f});
}
