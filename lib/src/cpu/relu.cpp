// CPU ReLU backward. (The forward ReLU is part of the convolution: conv.cpp.)
#include "cpu_backend.hpp"

namespace nst::cpu {

void CpuBackend::relu_backward(const float* y, const float* dy, float* dx, std::size_t count) {
    const auto n = static_cast<std::int64_t>(count);
#pragma omp parallel for num_threads(threads()) schedule(static)
    for (std::int64_t i = 0; i < n; ++i) dx[i] = y[i] > 0.0f ? dy[i] : 0.0f;
}

}  // namespace nst::cpu
