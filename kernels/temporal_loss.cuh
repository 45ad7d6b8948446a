// The temporal loss (video): its value as a deterministic reduction (reduce.cuh) and its gradient, one thread
// per element. The per-element terms are shared/temporal_loss.hpp's, the ones the CPU backend runs.
#pragma once

#include <cstddef>
#include <cstdint>

#include "launch.cuh"
#include "reduce.cuh"
#include "shared/temporal_loss.hpp"

namespace nst::kernels {

struct MaskedSquaredDifference {
    const float* x;
    const float* w;
    const float* c;
    std::int64_t pixels;
    __device__ double operator()(std::size_t i) const {
        return shared::temporal_term(x, w, c, pixels, static_cast<std::int64_t>(i));
    }
};

// *out = scale · Σ_{i < n} c[i mod pixels] (x[i] − w[i])²
inline void temporal_sum(const float* x, const float* w, const float* c, std::int64_t pixels, std::size_t n,
                         double scale, double* partials, float* out, cudaStream_t stream) {
    reduce(MaskedSquaredDifference{x, w, c, pixels}, n, scale, partials, out, stream);
}

// dx[i] += g · c[i mod pixels] · (x[i] − w[i])
inline void temporal_gradient(const float* x, const float* w, const float* c, std::int64_t pixels, std::size_t n,
                              float g, float* dx, cudaStream_t stream) {
    for_each_index(n, stream, [=] __device__(std::size_t i) {
        const auto p = static_cast<std::size_t>(static_cast<std::int64_t>(i) % pixels);
        dx[i] += shared::temporal_gradient(x[i], w[i], c[p], g);
    });
}

}  // namespace nst::kernels
