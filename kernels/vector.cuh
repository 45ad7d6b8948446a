// Elementwise vector ops on device memory (fill, axpy, scale) and the device-scalar ops that let L-BFGS's
// two-loop recursion run without waiting for the host: coefficients are read from device memory by every
// thread, and the scalar kernels compute the next coefficient in place.
#pragma once

#include <cstddef>

#include "launch.cuh"

namespace nst::kernels {

inline void fill(float* x, std::size_t n, float value, cudaStream_t stream) {
    for_each_index(n, stream, [=] __device__(std::size_t i) { x[i] = value; });
}

// y += alpha x
inline void axpy(float alpha, const float* x, float* y, std::size_t n, cudaStream_t stream) {
    for_each_index(n, stream, [=] __device__(std::size_t i) { y[i] += alpha * x[i]; });
}

// x *= alpha
inline void scale(float alpha, float* x, std::size_t n, cudaStream_t stream) {
    for_each_index(n, stream, [=] __device__(std::size_t i) { x[i] *= alpha; });
}

// y += sign · (*alpha) · x, with alpha in device memory.
inline void axpy_scalar(float sign, const float* alpha, const float* x, float* y, std::size_t n,
                        cudaStream_t stream) {
    for_each_index(n, stream, [=] __device__(std::size_t i) { y[i] += sign * *alpha * x[i]; });
}

// x *= *alpha, with alpha in device memory.
inline void scale_scalar(const float* alpha, float* x, std::size_t n, cudaStream_t stream) {
    for_each_index(n, stream, [=] __device__(std::size_t i) { x[i] *= *alpha; });
}

// One thread: *out = *num / *den if *gate > min_gate, else fallback (a negative fallback keeps *out).
inline void scalar_ratio(const float* num, const float* den, const float* gate, float min_gate, float fallback,
                         float* out, cudaStream_t stream) {
    for_each_index(1, stream, [=] __device__(std::size_t) {
        if (*gate > min_gate)
            *out = *num / *den;
        else if (fallback >= 0.0f)
            *out = fallback;
    });
}

// One thread: *out = *a − *b.
inline void scalar_subtract(const float* a, const float* b, float* out, cudaStream_t stream) {
    for_each_index(1, stream, [=] __device__(std::size_t) { *out = *a - *b; });
}

}  // namespace nst::kernels
