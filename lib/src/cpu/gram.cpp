// CPU Gram matrices (OpenBLAS SGEMM, or SSYRK mirrored) and the style loss.
#include <cblas.h>

#include "cpu_backend.hpp"
#include "nst/error.hpp"

namespace nst::cpu {

void CpuBackend::gram(const float* F, int C, std::int64_t M, float* G) {
    // BLAS takes int sizes: M (pixels) below 2³¹.
    if (C < 1 || M < 1 || M > INT32_MAX)
        throw Error("gram: " + std::to_string(C) + " x " + std::to_string(M) + " features");
    const int m = static_cast<int>(M);
    if (options().gram == GramMethod::Syrk) {
        // Upper triangle (row-major), then mirrored: SSYRK leaves the other triangle untouched.
        cblas_ssyrk(CblasRowMajor, CblasUpper, CblasNoTrans, C, m, 1.0f, F, m, 0.0f, G, C);
        for (int i = 0; i < C; ++i)
            for (int j = 0; j < i; ++j) G[std::int64_t(i) * C + j] = G[std::int64_t(j) * C + i];
    } else {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, C, C, m, 1.0f, F, m, F, m, 0.0f, G, C);
    }
}

void CpuBackend::style_loss(const float* F, int C, std::int64_t M, const float* A, float* D, float weight, float* loss,
                            float* dF, bool accumulate) {
    gram(F, C, M, D);
    const std::int64_t cc = std::int64_t(C) * C;
    const double sq = ordered_sum(static_cast<std::size_t>(cc), threads(), [=](std::size_t i) {
        const double d = static_cast<double>(D[i]) - A[i];
        return d * d;
    });
#pragma omp parallel for num_threads(threads()) schedule(static)
    for (std::int64_t i = 0; i < cc; ++i) D[i] -= A[i];
    const double c = C, m = static_cast<double>(M);
    *loss = static_cast<float>(weight * sq / (4.0 * c * c * m * m));
    // dF = weight/(C² M²) * D F: one SGEMM, D = G − A being symmetric.
    const auto alpha = static_cast<float>(weight / (c * c * m * m));
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, C, static_cast<int>(M), C, alpha, D, C, F,
                static_cast<int>(M), accumulate ? 1.0f : 0.0f, dF, static_cast<int>(M));
}

}  // namespace nst::cpu
