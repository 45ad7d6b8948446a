// The CUDA backend's vector ops (vector.cuh): fill, axpy, scale and L-BFGS's device-scalar ops.
#include "cuda/cuda_backend.hpp"
#include "vector.cuh"

namespace nst::cuda {

void CudaBackend::fill(float* dst, std::size_t count, float value) {
    kernels::fill(dst, count, value, stream_.get());
}

void CudaBackend::axpy(float alpha, const float* x, float* y, std::size_t count) {
    kernels::axpy(alpha, x, y, count, stream_.get());
}

void CudaBackend::scale(float alpha, float* x, std::size_t count) {
    kernels::scale(alpha, x, count, stream_.get());
}

void CudaBackend::axpy_scalar(float sign, const float* alpha, const float* x, float* y, std::size_t count) {
    kernels::axpy_scalar(sign, alpha, x, y, count, stream_.get());
}

void CudaBackend::scale_scalar(const float* alpha, float* x, std::size_t count) {
    kernels::scale_scalar(alpha, x, count, stream_.get());
}

void CudaBackend::scalar_ratio(const float* num, const float* den, const float* gate, float min_gate, float fallback,
                               float* out) {
    kernels::scalar_ratio(num, den, gate, min_gate, fallback, out, stream_.get());
}

void CudaBackend::scalar_subtract(const float* a, const float* b, float* out) {
    kernels::scalar_subtract(a, b, out, stream_.get());
}

}  // namespace nst::cuda
