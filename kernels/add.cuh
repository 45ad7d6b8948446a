// The residual add on the GPU: y = a + b, ReLU optional (shared/add.hpp's formula).
#pragma once

#include <cstddef>

#include "launch.cuh"
#include "shared/add.hpp"

namespace nst::kernels {

inline void add(const float* a, const float* b, float* y, std::size_t n, bool relu, cudaStream_t stream) {
    for_each_index(n, stream, [=] __device__(std::size_t i) { y[i] = shared::add_output(a[i], b[i], relu); });
}

}  // namespace nst::kernels
