// Elementwise vector ops on device memory (the ones L-BFGS and the engine need).
#pragma once

#include <cuda_runtime.h>

#include <cstddef>

namespace nst::kernels {

void fill(float* x, std::size_t n, float value, cudaStream_t stream);
void axpy(float alpha, const float* x, float* y, std::size_t n, cudaStream_t stream);  // y += alpha x
void scale(float alpha, float* x, std::size_t n, cudaStream_t stream);                 // x *= alpha

}  // namespace nst::kernels
