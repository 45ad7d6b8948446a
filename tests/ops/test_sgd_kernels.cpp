// sgd's kernel (kernels/sgd.cuh) run by the kernel harness: bit for bit against the CPU backend (the same
// update), with and without momentum.
#include "../harness/kernel_checks.hpp"
#include "../support/backend_io.hpp"
#include "../support/reference_ops.hpp"
#include "sgd.cuh"

using namespace nst;
using namespace nst::test;

TEST_CASE("kernels: SGD equals the CPU's bit for bit", "[kernels][sgd]") {
    for (std::size_t n : {std::size_t(1), std::size_t(257), std::size_t(70001)}) {
        const auto a = random_floats(n, 1), b = random_floats(n, 2), v = random_floats(n, 3);
        auto cpu = twin();
        for (float momentum : {0.0f, 0.9f}) {
            Buffer X = put(*cpu, a), G = put(*cpu, b), V = put(*cpu, v);
            cpu->sgd_step(X.data(), G.data(), V.data(), n, 0.05f, momentum);
            const auto want_x = get(*cpu, X), want_v = get(*cpu, V);
            for_each_schedule([&] {
                Guarded<float> Xk(a), Gk(b), Vk(v);
                kernels::sgd_step(Xk.data(), Gk.data(), Vk.data(), n, 0.05f, momentum, nullptr);
                CHECK(same_bits(Xk.values(), want_x));
                CHECK(same_bits(Vk.values(), want_v));
                CHECK((Xk.guards_intact() && Vk.guards_intact()));
            });
        }
    }
}
