// The content loss's gradient kernel; its value is reduce.cuh's Σ(F−P)². The per-element formula is
// shared/content_loss.hpp's, the one the CPU backend runs.
#pragma once

#include <cstddef>

#include "launch.cuh"
#include "shared/content_loss.hpp"

namespace nst::kernels {

// dF = g (F − P), or dF += g (F − P) when accumulate.
inline void content_gradient(const float* F, const float* P, std::size_t n, float g, float* dF, bool accumulate,
                             cudaStream_t stream) {
    for_each_index(n, stream, [=] __device__(std::size_t i) {
        const float v = shared::content_gradient(F[i], P[i], g);
        dF[i] = accumulate ? dF[i] + v : v;
    });
}

}  // namespace nst::kernels
