// CPU residual add (y = a + b, ReLU optional): shared/add.hpp's formula, the CUDA kernel's.
#include "cpu_backend.hpp"
#include "shared/add.hpp"

namespace nst::cpu {

void CpuBackend::add(const float* a, const float* b, float* y, std::size_t count, bool relu) {
    const auto n = static_cast<std::int64_t>(count);
#pragma omp parallel for num_threads(threads()) schedule(static)
    for (std::int64_t i = 0; i < n; ++i) y[i] = shared::add_output(a[i], b[i], relu);
}

}  // namespace nst::cpu
