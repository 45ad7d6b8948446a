// gram's GPU path (kernels/gram.cuh) run by the kernel harness, its cuBLAS calls answered by the stand-in
// (OpenBLAS, with cuBLAS's argument checks): the mirror kernel, the Gram matrix by SGEMM and by SSYRK +
// mirror, and the style loss (Gram, G − A with Σ(G − A)², the gradient GEMM), against the CPU backend, at
// non-square shapes (a row/column-major mix-up is silent when C == M); and the cuBLAS arguments the path
// passes, named.
#include "../harness/cublas_shim.hpp"
#include "../harness/kernel_checks.hpp"
#include "../support/backend_io.hpp"
#include "../support/reference_ops.hpp"
#include "gram.cuh"

using namespace nst;
using namespace nst::test;

namespace {

const std::pair<int, int> kShapes[] = {{3, 17}, {16, 5}, {1, 9}, {33, 65}, {64, 4096}};

}  // namespace

TEST_CASE("kernels: the mirror copies the upper triangle to the lower one, and nothing else", "[kernels][gram]") {
    for (int C : {1, 2, 17, 64}) {
        const std::size_t cc = std::size_t(C) * C;
        std::vector<float> g(cc, std::numeric_limits<float>::quiet_NaN());  // the lower triangle: stale
        for (int j = 0; j < C; ++j)
            for (int i = 0; i <= j; ++i) g[std::size_t(i) + std::size_t(j) * C] = static_cast<float>(i * 100 + j);
        INFO("C = " << C);
        for_each_schedule([&] {
            Guarded<float> G(g);
            kernels::mirror_upper_to_lower(G.data(), C, nullptr);
            const std::vector<float> m = G.values();
            for (int j = 0; j < C; ++j)
                for (int i = 0; i < C; ++i)
                    CHECK(m[std::size_t(i) + std::size_t(j) * C] == static_cast<float>(std::min(i, j) * 100 + std::max(i, j)));
            CHECK(G.guards_intact());
        });
    }
}

TEST_CASE("kernels: Gram matrices by SGEMM and by SSYRK + mirror equal the CPU's", "[kernels][gram]") {
    harness::BlasHandle blas;
    for (auto [C, M] : kShapes)
        for (bool syrk : {false, true}) {
            const auto F = random_floats(std::size_t(C) * M, 113);
            auto cpu = twin();
            Buffer FB = put(*cpu, F), G = cpu->allocate(std::size_t(C) * C);
            cpu->gram(FB.data(), C, M, G.data());
            const std::vector<float> want = get(*cpu, G);
            INFO((syrk ? "syrk " : "gemm ") << C << " x " << M);
            Guarded<float> Fk(F), Gk(std::size_t(C) * C);
            harness::clear_cublas_calls();
            kernels::gram(blas.handle, Fk.data(), C, M, syrk, Gk.data(), nullptr);
            const std::string c = std::to_string(C), m = std::to_string(M);
            CHECK(harness::cublas_calls() ==
                  std::vector<std::string>{syrk ? "ssyrk U T n=" + c + " k=" + m + " lda=" + m + " ldc=" + c
                                                : "sgemm T N m=" + c + " n=" + c + " k=" + m + " lda=" + m +
                                                      " ldb=" + m + " ldc=" + c});
            CHECK(relative_max_error(Gk.values(), to_double(want)) < 1e-6);
            CHECK((Fk.guards_intact() && Gk.guards_intact()));
        }
}

TEST_CASE("kernels: the style loss and its gradient equal the CPU's, set and accumulated", "[kernels][gram]") {
    harness::BlasHandle blas;
    for (auto [C, M] : kShapes)
        for (bool syrk : {false, true})
            for (bool accumulate : {false, true}) {
                const std::size_t cm = std::size_t(C) * M, cc = std::size_t(C) * C;
                const auto F = random_floats(cm, 114), prior = random_floats(cm, 116);
                const Vec target = gram(to_double(random_floats(cm, 115)), C, M);
                const std::vector<float> A(target.begin(), target.end());
                auto cpu = twin(syrk ? GramMethod::Syrk : GramMethod::Gemm);
                Buffer FB = put(*cpu, F), AB = put(*cpu, A), D = cpu->allocate(cc), L = cpu->allocate(1),
                       dF = put(*cpu, prior);
                cpu->style_loss(FB.data(), C, M, AB.data(), D.data(), 100.0f, L.data(), dF.data(), accumulate);
                const float want_loss = get_scalar(*cpu, L.data());
                const std::vector<float> want_dF = get(*cpu, dF);
                INFO((syrk ? "syrk " : "gemm ") << C << " x " << M << (accumulate ? " accumulated" : " set"));
                Guarded<float> Fk(F), Ak(A), Dk(cc), Lk(1), dFk = accumulate ? Guarded<float>(prior) : Guarded<float>(cm);
                Guarded<double> partials(kernels::kReduceBlocks);
                kernels::style_loss(blas.handle, Fk.data(), C, M, Ak.data(), Dk.data(), 100.0f, syrk, partials.data(),
                                    Lk.data(), dFk.data(), accumulate, nullptr);
                // Same float GEMMs on both sides (OpenBLAS); the loss sums the same differences in double.
                CHECK(Lk.values()[0] == Approx(want_loss).epsilon(1e-5));
                CHECK(relative_max_error(dFk.values(), to_double(want_dF)) < 1e-5);
                CHECK((Fk.guards_intact() && Ak.guards_intact() && Dk.guards_intact() && Lk.guards_intact() &&
                       dFk.guards_intact() && partials.guards_intact()));
            }
}
