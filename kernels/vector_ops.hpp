// Elementwise vector ops on device memory (the ones L-BFGS and the engine need).
#pragma once

#include <cuda_runtime.h>

#include <cstddef>

namespace nst::kernels {

void fill(float* x, std::size_t n, float value, cudaStream_t stream);
void axpy(float alpha, const float* x, float* y, std::size_t n, cudaStream_t stream);  // y += alpha x
void scale(float alpha, float* x, std::size_t n, cudaStream_t stream);                 // x *= alpha
// With the coefficient in device memory (read by every thread; never copied to the host):
void axpy_scalar(float sign, const float* alpha, const float* x, float* y, std::size_t n, cudaStream_t stream);
void scale_scalar(const float* alpha, float* x, std::size_t n, cudaStream_t stream);
// One-thread scalar kernels: *out = *num / *den if *den > min_den, else fallback (kept if negative); *out = *a − *b.
void scalar_ratio(const float* num, const float* den, float min_den, float fallback, float* out, cudaStream_t stream);
void scalar_subtract(const float* a, const float* b, float* out, cudaStream_t stream);

}  // namespace nst::kernels
