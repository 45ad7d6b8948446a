// Total variation: its value as a deterministic reduction (reduce.cuh) and its gradient, one thread per
// element in gather form. The per-element terms are shared/tv_loss.hpp's, the ones the CPU backend runs.
#pragma once

#include <cstddef>

#include "launch.cuh"
#include "reduce.cuh"
#include "shared/tv_loss.hpp"

namespace nst::kernels {

struct TotalVariation {
    const float* x;
    int height;
    int width;
    __device__ double operator()(std::size_t i) const {
        int h = 0, w = 0;
        shared::plane_position(i, height, width, &h, &w);
        return shared::tv_term(x, i, h, w, height, width);
    }
};

// *out = scale * Σ over N·C planes of H x W of (x[h][w+1] − x[h][w])² + (x[h+1][w] − x[h][w])²
inline void tv_sum(const float* x, std::size_t planes, int height, int width, double scale, double* partials,
                   float* out, cudaStream_t stream) {
    reduce(TotalVariation{x, height, width}, planes * height * width, scale, partials, out, stream);
}

// dx += weight · ∂/∂x of that sum.
inline void tv_gradient(const float* x, std::size_t planes, int height, int width, float weight, float* dx,
                        cudaStream_t stream) {
    const float two_weight = 2.0f * weight;
    for_each_index(planes * height * width, stream, [=] __device__(std::size_t i) {
        int h = 0, w = 0;
        shared::plane_position(i, height, width, &h, &w);
        dx[i] += two_weight * shared::tv_half_gradient(x, i, h, w, height, width);
    });
}

}  // namespace nst::kernels
