// adam's kernel (kernels/adam.cuh) run by the kernel harness: five steps of both flavours, bit for bit
// against the CPU backend (shared/adam.hpp's update on both sides), at sizes around the block size.
#include "../harness/kernel_checks.hpp"
#include "../support/backend_io.hpp"
#include "../support/reference_ops.hpp"
#include "adam.cuh"

using namespace nst;
using namespace nst::test;

TEST_CASE("kernels: Adam's steps equal the CPU's in both flavours", "[kernels][adam]") {
    for (std::size_t n : {std::size_t(1), std::size_t(257), std::size_t(100001)})
        for (AdamFlavor flavor : {AdamFlavor::TensorFlow1, AdamFlavor::PyTorch}) {
            AdamParams p;
            p.flavor = flavor;
            const auto x = random_floats(n, 122, -100, 100), g = random_floats(n, 123, -5, 5);
            auto cpu = twin();
            Buffer X = put(*cpu, x), G = put(*cpu, g), M = put(*cpu, std::vector<float>(n, 0.0f)),
                   V = put(*cpu, std::vector<float>(n, 0.0f));
            for (int t = 1; t <= 5; ++t) cpu->adam_step(X.data(), G.data(), M.data(), V.data(), n, t, p);
            const std::vector<float> want = get(*cpu, X);
            INFO("n = " << n << (flavor == AdamFlavor::PyTorch ? " pytorch" : " tf1"));
            for_each_schedule([&] {
                Guarded<float> Xk(x), Gk(g), Mk(std::vector<float>(n, 0.0f)), Vk(std::vector<float>(n, 0.0f));
                for (int t = 1; t <= 5; ++t)
                    kernels::adam_step(Xk.data(), Gk.data(), Mk.data(), Vk.data(), n, shared::adam_step_constants(p, t),
                                       nullptr);
                CHECK(same_bits(Xk.values(), want));
                CHECK((Xk.guards_intact() && Gk.guards_intact() && Mk.guards_intact() && Vk.guards_intact()));
            });
        }
}
