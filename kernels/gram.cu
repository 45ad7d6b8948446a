// The CUDA backend's Gram matrices and style loss (gram.cuh: cuBLAS SGEMM, or SSYRK and the mirror kernel).
#include "cuda/cuda_backend.hpp"
#include "gram.cuh"
#include "nst/error.hpp"

namespace nst::cuda {

namespace {

int checked_pixels(int C, std::int64_t M) {
    if (C < 1 || M < 1 || M > INT32_MAX)
        throw Error("gram: " + std::to_string(C) + " x " + std::to_string(M) + " features");
    return static_cast<int>(M);
}

}  // namespace

void CudaBackend::gram(const float* F, int C, std::int64_t M, float* G) {
    kernels::gram(blas_.get(), F, C, checked_pixels(C, M), options().gram == GramMethod::Syrk, G, stream_.get());
}

void CudaBackend::style_loss(const float* F, int C, std::int64_t M, const float* A, float* D, float weight, float* loss,
                             float* dF, bool accumulate) {
    kernels::style_loss(blas_.get(), F, C, checked_pixels(C, M), A, D, weight, options().gram == GramMethod::Syrk,
                        partials_.data(), loss, dF, accumulate, stream_.get());
}

}  // namespace nst::cuda
