// softmax_cross_entropy's kernels (kernels/softmax_cross_entropy.cuh) run by the kernel harness: bit for bit
// against the CPU backend (the same row formula in double and the same ordered sum).
#include "../harness/kernel_checks.hpp"
#include "../support/backend_io.hpp"
#include "../support/reference_ops.hpp"
#include "softmax_cross_entropy.cuh"

using namespace nst;
using namespace nst::test;

TEST_CASE("kernels: softmax cross-entropy equals the CPU's bit for bit", "[kernels][softmax_cross_entropy]") {
    for (const auto& shape : {std::pair{4, 10}, std::pair{300, 7}, std::pair{1, 2}}) {
        // (plain copies: a lambda may not capture structured bindings in C++17)
        const int batch = std::get<0>(shape);
        const int classes = std::get<1>(shape);
        const std::size_t n = std::size_t(batch) * classes;
        const auto logits = random_floats(n, 6, -6, 6);
        std::vector<float> labels(static_cast<std::size_t>(batch));
        for (std::size_t i = 0; i < labels.size(); ++i) labels[i] = float((i * 7) % std::size_t(classes));
        auto cpu = twin();
        Buffer L = put(*cpu, logits), T = put(*cpu, labels), S = cpu->allocate(2 * labels.size()), out = cpu->allocate(2),
               D = cpu->allocate(n);
        cpu->softmax_cross_entropy(batch, classes, L.data(), T.data(), S.data(), out.data(), out.data() + 1, D.data());
        const auto want = get(*cpu, out), want_d = get(*cpu, D);
        for_each_schedule([&] {
            Guarded<float> Lk(logits), Tk(labels), Sk(2 * labels.size()), Ok(2), Dk(n);
            kernels::softmax_cross_entropy(batch, classes, Lk.data(), Tk.data(), Sk.data(), Ok.data(), Ok.data() + 1,
                                           Dk.data(), nullptr);
            CHECK(same_bits(Ok.values(), want));
            CHECK(same_bits(Dk.values(), want_d));
            CHECK((Sk.guards_intact() && Ok.guards_intact() && Dk.guards_intact()));
        });
    }
}
