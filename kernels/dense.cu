// The CUDA backend's dense layer (dense.cuh: cuBLAS SGEMM and the bias kernels).
#include "cuda/cuda_backend.hpp"
#include "dense.cuh"
#include "core/shape_checks.hpp"

namespace nst::cuda {

void CudaBackend::dense_forward(int batch, int inputs, int outputs, const float* x, const float* w, const float* b,
                                float* y) {
    check_matrix_shape("dense", batch, inputs, outputs);
    kernels::dense_forward(blas_.get(), batch, inputs, outputs, x, w, b, y, stream_.get());
}

void CudaBackend::dense_backward_data(int batch, int inputs, int outputs, const float* w, const float* dy, float* dx) {
    check_matrix_shape("dense", batch, inputs, outputs);
    kernels::dense_backward_data(blas_.get(), batch, inputs, outputs, w, dy, dx);
}

void CudaBackend::dense_backward_weights(int batch, int inputs, int outputs, const float* x, const float* dy,
                                         float* dw, float* db, bool accumulate) {
    check_matrix_shape("dense", batch, inputs, outputs);
    kernels::dense_backward_weights(blas_.get(), batch, inputs, outputs, x, dy, dw, db, accumulate, stream_.get());
}

}  // namespace nst::cuda
