// The CUDA backend's Gram matrices (cuBLAS SGEMM, or SSYRK and the mirror kernel) and the style loss
// (gram.cuh). Row-major F: C x M is column-major M x C with leading dimension M (docs/cuda-notes.md).
#include "cuda/cuda_backend.hpp"
#include "gram.cuh"
#include "nst/error.hpp"

namespace nst::cuda {

void CudaBackend::gram(const float* F, int C, std::int64_t M, float* G) {
    if (C < 1 || M < 1 || M > INT32_MAX)
        throw Error("gram: " + std::to_string(C) + " x " + std::to_string(M) + " features");
    const float one = 1.0f, zero = 0.0f;
    const int m = static_cast<int>(M);
    if (options().gram == GramMethod::Syrk) {
        // SSYRK writes only the upper triangle (column-major); the mirror kernel fills the lower one.
        CHECK_CUBLAS(cublasSsyrk(blas_.get(), CUBLAS_FILL_MODE_UPPER, CUBLAS_OP_T, C, m, &one, F, m, &zero, G, C));
        kernels::mirror_upper_to_lower(G, C, stream_.get());
    } else {
        // G (C x C) = Fᵀ F in column-major terms, i.e. F Fᵀ for the row-major C x M matrix.
        CHECK_CUBLAS(cublasSgemm(blas_.get(), CUBLAS_OP_T, CUBLAS_OP_N, C, C, m, &one, F, m, F, m, &zero, G, C));
    }
}

void CudaBackend::style_loss(const float* F, int C, std::int64_t M, const float* A, float* D, float weight, float* loss,
                             float* dF, bool accumulate) {
    gram(F, C, M, D);
    const double c = C, m = static_cast<double>(M);
    // D = G − A and *loss = weight Σ(G−A)² / (4 C² M²) in one pass.
    kernels::subtract_and_square_sum(D, A, std::size_t(C) * C, weight / (4.0 * c * c * m * m), partials_.data(), loss,
                                     stream_.get());
    // dF (C x M, row-major) = alpha D F + beta dF; column-major: dFᵀ (M x C) = Fᵀ (M x C) · D (C x C), D symmetric.
    const auto alpha = static_cast<float>(weight / (c * c * m * m));
    const float beta = accumulate ? 1.0f : 0.0f;
    const int mi = static_cast<int>(M);
    CHECK_CUBLAS(cublasSgemm(blas_.get(), CUBLAS_OP_N, CUBLAS_OP_N, mi, C, C, &alpha, F, mi, D, C, &beta, dF, mi));
}

}  // namespace nst::cuda
