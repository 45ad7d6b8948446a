// content_loss's kernel (kernels/content_loss.cuh) run by the kernel harness: the gradient, set and
// accumulated, bit for bit against the CPU backend (shared/content_loss.hpp's formula on both sides), at the
// GPU tests' shapes and odd ones.
#include "../harness/kernel_checks.hpp"
#include "../support/backend_io.hpp"
#include "../support/reference_ops.hpp"
#include "content_loss.cuh"

using namespace nst;
using namespace nst::test;

TEST_CASE("kernels: the content gradient equals the CPU's, set and accumulated", "[kernels][content_loss]") {
    for (auto [C, M] : {std::pair{64, 30 * 41}, std::pair{1, 1}, std::pair{3, 7}, std::pair{5, 257}}) {
        const std::size_t n = std::size_t(C) * M;
        const auto F = random_floats(n, 117), P = random_floats(n, 118), prior = random_floats(n, 119);
        const double nm = double(C) * M;
        const auto g = static_cast<float>(5.0 / (2.0 * nm));
        for (bool accumulate : {false, true}) {
            auto cpu = twin();
            Buffer FB = put(*cpu, F), PB = put(*cpu, P), dF = put(*cpu, prior), loss = cpu->allocate(1);
            cpu->content_loss(FB.data(), PB.data(), C, M, 5.0f, loss.data(), dF.data(), accumulate);
            const std::vector<float> want = get(*cpu, dF);
            INFO(C << " x " << M << (accumulate ? " accumulated" : " set"));
            for_each_schedule([&] {
                Guarded<float> Fk(F), Pk(P), dFk = accumulate ? Guarded<float>(prior) : Guarded<float>(n);
                kernels::content_gradient(Fk.data(), Pk.data(), n, g, dFk.data(), accumulate, nullptr);
                CHECK(same_bits(dFk.values(), want));
                CHECK((Fk.guards_intact() && Pk.guards_intact() && dFk.guards_intact()));
            });
        }
    }
}
