// gram: Gram matrices (SGEMM, or SSYRK mirrored) and the style loss, its value and its gradient, set and
// accumulated. CPU against the textbook in double, the style gradient by finite differences, and the CUDA
// backend (cuBLAS and the mirror kernel) against the CPU, non-square shapes included (a row/column-major
// mix-up is silent when C == M), up to relu1_1 at 1024 px (M = 1M pixels).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "op_checks.hpp"
#include "../support/device_kind.hpp"

using namespace nst;
using namespace nst::test;

TEST_CASE("cpu Gram matrices: SGEMM and SSYRK agree with the textbook, non-square shapes included", "[ops][gram]") {
    for (GramMethod method : {GramMethod::Gemm, GramMethod::Syrk}) {
        auto b = cpu_backend(method);
        for (auto [C, M] : {std::pair{3, 17}, std::pair{16, 5}, std::pair{1, 9}, std::pair{33, 65}}) {
            const auto F = random_floats(std::size_t(C) * M, 13);
            Buffer FB = put(*b, F), G = poisoned(*b, std::size_t(C) * C);
            b->gram(FB.data(), C, M, G.data());
            INFO((method == GramMethod::Syrk ? "syrk " : "gemm ") << C << "x" << M);
            CHECK(relative_max_error(get(*b, G), gram(to_double(F), C, M)) < 1e-6);
        }
    }
}

TEST_CASE("cpu style loss: value and gradient, set and accumulated", "[ops][gram]") {
    for (GramMethod method : {GramMethod::Gemm, GramMethod::Syrk}) {
        auto b = cpu_backend(method);
        const int C = 6;
        const std::int64_t M = 23;
        const auto F = random_floats(std::size_t(C) * M, 14);
        const Vec A = to_double(random_floats(std::size_t(C) * M, 15));
        const Vec target = gram(A, C, M);
        const std::vector<float> target_f(target.begin(), target.end());
        const auto prior = random_floats(std::size_t(C) * M, 16);
        Buffer FB = put(*b, F), AB = put(*b, target_f), S = poisoned(*b, std::size_t(C) * C), L = poisoned(*b, 1),
               DF = put(*b, prior);
        b->style_loss(FB.data(), C, M, AB.data(), S.data(), 2.5f, L.data(), DF.data(), true);
        const double ref = style_loss(to_double(F), C, M, target, 2.5);
        CHECK(get_scalar(*b, L.data()) == Approx(ref).epsilon(1e-5));
        Vec expected = style_gradient(to_double(F), C, M, target, 2.5);
        for (std::size_t i = 0; i < expected.size(); ++i) expected[i] += prior[i];
        CHECK(relative_max_error(get(*b, DF), expected) < 1e-5);
        b->style_loss(FB.data(), C, M, AB.data(), S.data(), 2.5f, L.data(), DF.data(), false);
        CHECK(relative_max_error(get(*b, DF), style_gradient(to_double(F), C, M, target, 2.5)) < 1e-5);
    }
}

TEST_CASE("gradcheck: style loss with respect to the features", "[gradcheck][gram]") {
    auto b = make_cpu_op_backend();
    const int C = 3;
    const std::int64_t M = 7;
    const auto F = random_floats(C * M, 37);
    const Vec target = gram(to_double(random_floats(C * M, 38)), C, M);
    const std::vector<float> target_f(target.begin(), target.end());
    Buffer FB = put(*b, F), AB = put(*b, target_f), S = poisoned(*b, C * C), L = poisoned(*b, 1),
           DF = poisoned(*b, C * M);
    b->style_loss(FB.data(), C, M, AB.data(), S.data(), 3.0f, L.data(), DF.data(), false);
    const Vec numeric =
        numeric_gradient([&](const Vec& f) { return style_loss(f, C, M, target, 3.0); }, to_double(F), kH);
    CHECK(relative_max_error(get(*b, DF), numeric) < kGradTolerance);
}

TEST_CASE("gpu: Gram matrices with SGEMM and SSYRK (mirrored) match the CPU, non-square shapes", "[gpu][gram]") {
    for (GramMethod method : {GramMethod::Gemm, GramMethod::Syrk}) {
        Pair p = backends(Precision::Fp32, method);
        for (auto [C, M] : {std::pair{64, 4096}, std::pair{1, 333}, std::pair{17, 5}, std::pair{128, 1089}}) {
            const auto F = random_floats(std::size_t(C) * M, 113);
            check_op(p,
                     std::string(method == GramMethod::Syrk ? "syrk" : "gemm") + " gram " + std::to_string(C) + "x" +
                         std::to_string(M),
                     {F}, std::size_t(C) * C, [&, C = C, M = M](OpBackend& be, const std::vector<Buffer>& in, float* G) {
                         be.gram(in[0].data(), C, M, G);
                     });
        }
    }
}

// Whether TF32 really engages. F's entries are 1 + 2^-12, which TF32's 10-bit mantissa rounds to 1, so each
// entry of G = F Fᵀ over M pixels is M (1 + 2^-12)² = M + M/2048 in FP32 (4098 here, exact whatever the
// summation order: every partial sum is a multiple of 2^-11) and exactly M where the GEMM ran in TF32. The
// strict backend must give the first (within 1e-3), the TF32 one the second: "TF32 allowed" that silently
// stays FP32 fails here. The GEMM (256 x 256 x 4096) is large enough for cuBLAS to use tensor cores.
TEST_CASE("gpu: TF32 engages in the Gram GEMM, and strict FP32 does not", "[gpu][gram][tf32]") {
    constexpr int C = 256;
    constexpr std::int64_t M = 4096;
    const std::vector<float> F(std::size_t(C) * M, 1.0f + std::ldexp(1.0f, -12));
    const double fp32 = double(M) * std::pow(1.0 + std::ldexp(1.0, -12), 2);
    for (Precision precision : {Precision::Fp32, Precision::Tf32}) {
        Pair p = backends(precision);
        Buffer in = put(*p.gpu, F), G = poisoned(*p.gpu, std::size_t(C) * C);
        p.gpu->gram(in.data(), C, M, G.data());
        const std::vector<float> g = get(*p.gpu, G);
        const double expected = precision == Precision::Tf32 ? double(M) : fp32;
        double worst = 0.0;
        for (float v : g) worst = std::max(worst, std::isfinite(v) ? std::abs(double(v) - expected) : HUGE_VAL);
        std::printf("RESULT|gram %s rounding (1 + 2^-12 inputs)|rel=%.3e|expected=%.4f|tolerance=1.0e-03\n",
                    precision == Precision::Tf32 ? "tf32" : "fp32", worst, expected);
        INFO((precision == Precision::Tf32 ? "tf32" : "fp32") << ": worst |G - " << expected << "| = " << worst);
        CHECK(worst <= 1e-3);
    }
}

TEST_CASE("gpu: style loss value and gradient (one GEMM) match the CPU", "[gpu][gram]") {
    for (GramMethod method : {GramMethod::Gemm, GramMethod::Syrk}) {
        Pair p = backends(Precision::Fp32, method);
        for (auto [C, M] : {std::pair{64, 1200}, std::pair{1, 50}, std::pair{33, 7}}) {
            const auto F = random_floats(std::size_t(C) * M, 114);
            const Vec target = gram(to_double(random_floats(std::size_t(C) * M, 115)), C, M);
            const std::vector<float> A(target.begin(), target.end());
            const auto prior = random_floats(std::size_t(C) * M, 116);
            const std::string tag = std::string(method == GramMethod::Syrk ? "syrk" : "gemm") + " style " +
                                    std::to_string(C) + "x" + std::to_string(M);
            for (bool accumulate : {false, true})
                for (bool want_loss : {false, true}) {
                    // The gradient and the loss value are compared separately (different scales).
                    const std::size_t count = want_loss ? 1 : std::size_t(C) * M;
                    check_op(p,
                             tag + (want_loss    ? " loss"
                                    : accumulate ? " grad+="
                                                 : " grad"),
                             {F, A, prior}, count,
                             [&, C = C, M = M](OpBackend& be, const std::vector<Buffer>& in, float* out) {
                                 Buffer scratch = poisoned(be, std::size_t(C) * C),
                                        grad = be.allocate(std::size_t(C) * M), loss = poisoned(be, 1);
                                 be.copy(in[2].data(), grad.data(), grad.size());
                                 be.style_loss(in[0].data(), C, M, in[1].data(), scratch.data(), 100.0f, loss.data(),
                                               grad.data(), accumulate);
                                 be.copy(want_loss ? loss.data() : grad.data(), out, count);
                                 be.synchronize();
                             });
                }
        }
    }
}

// relu1_1 at 1024 px: 64 channels x 1M pixels (64K on the emulated device). Tolerance 1e-4: both sides accumulate a million float
// products per element (the GEMMs), and an indexing error shows up as O(1).
TEST_CASE("gpu: Gram and style gradient at a 1024 px pass's size (64 x 1M) match the CPU", "[gpu][gram][large]") {
    constexpr double kLarge = 1e-4;
    Pair p = backends();
    const int C = 64;
    const std::int64_t M = gpu_size(1024 * 1024, 64 * 1024);  // relu1_1 at 1024 px
    const auto F = random_floats(std::size_t(C) * M, 139);
    std::vector<float> A(std::size_t(C) * C);
    {
        Buffer F2 = put(*p.cpu, random_floats(std::size_t(C) * M, 140)), G = p.cpu->allocate(A.size());
        p.cpu->gram(F2.data(), C, M, G.data());
        A = get(*p.cpu, G);  // a symmetric target, as a style image's Gram is
    }
    for (GramMethod method : {GramMethod::Gemm, GramMethod::Syrk}) {
        Pair q = backends(Precision::Fp32, method);
        const std::string tag = std::string(method == GramMethod::Syrk ? "syrk" : "gemm") + " 64x" + std::to_string(M);
        check_op(q, tag + " gram", {F}, std::size_t(C) * C, [&](OpBackend& be, const std::vector<Buffer>& in, float* G) {
            be.gram(in[0].data(), C, M, G);
        }, kLarge);
        check_op(q, tag + " style grad", {F, A}, std::size_t(C) * M,
                 [&](OpBackend& be, const std::vector<Buffer>& in, float* dF) {
                     Buffer scratch = poisoned(be, std::size_t(C) * C), loss = poisoned(be, 1);
                     be.style_loss(in[0].data(), C, M, in[1].data(), scratch.data(), 100.0f, loss.data(), dF, false);
                     be.synchronize();
                 }, kLarge);
    }
}
