// add's kernel (kernels/add.cuh) run by the kernel harness: bit for bit against the CPU backend (the same
// element formula), with and without the ReLU.
#include "../harness/kernel_checks.hpp"
#include "../support/backend_io.hpp"
#include "../support/reference_ops.hpp"
#include "add.cuh"

using namespace nst;
using namespace nst::test;

TEST_CASE("kernels: add equals the CPU's bit for bit", "[kernels][add]") {
    for (std::size_t n : {std::size_t(1), std::size_t(257), std::size_t(70001)}) {
        const auto a = random_floats(n, 1), b = random_floats(n, 2);
        auto cpu = twin();
        for (bool relu : {false, true}) {
            Buffer A = put(*cpu, a), B = put(*cpu, b), Y = cpu->allocate(n);
            cpu->add(A.data(), B.data(), Y.data(), n, relu);
            const auto want = get(*cpu, Y);
            for_each_schedule([&] {
                Guarded<float> Ak(a), Bk(b), Yk(n);
                kernels::add(Ak.data(), Bk.data(), Yk.data(), n, relu, nullptr);
                CHECK(same_bits(Yk.values(), want));
                CHECK(Yk.guards_intact());
            });
        }
    }
}
