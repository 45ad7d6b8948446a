// CPU Adam step: shared/adam.hpp's update, the one the CUDA kernel runs, over every element.
#include "cpu_backend.hpp"
#include "shared/adam.hpp"

namespace nst::cpu {

void CpuBackend::adam_step(float* x, const float* g, float* m, float* v, std::size_t count, int step,
                           const AdamParams& params) {
    const shared::AdamStep s = shared::adam_step_constants(params, step);
    const auto n = static_cast<std::int64_t>(count);
#pragma omp parallel for num_threads(threads_) schedule(static)
    for (std::int64_t i = 0; i < n; ++i) shared::adam_update(x[i], g[i], m[i], v[i], s);
}

}  // namespace nst::cpu
