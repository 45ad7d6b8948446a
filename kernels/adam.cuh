// One fused Adam step on device memory: all of one element's state (x, g, m, v) read once and x, m, v
// written once (16 bytes read, 12 written: memory-bound). The update itself is shared/adam.hpp's, the one
// the CPU backend runs.
#pragma once

#include <cstddef>

#include "launch.cuh"
#include "shared/adam.hpp"

namespace nst::kernels {

inline void adam_step(float* x, const float* g, float* m, float* v, std::size_t n, shared::AdamStep s,
                      cudaStream_t stream) {
    for_each_index(n, stream, [=] __device__(std::size_t i) { shared::adam_update(x[i], g[i], m[i], v[i], s); });
}

}  // namespace nst::kernels
