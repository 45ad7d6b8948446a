// CPU SGD step: shared/sgd.hpp's update (Keras's SGD with momentum), the CUDA kernel's.
#include "cpu_backend.hpp"
#include "shared/sgd.hpp"

namespace nst::cpu {

void CpuBackend::sgd_step(float* x, const float* g, float* velocity, std::size_t count, float lr, float momentum) {
    const auto n = static_cast<std::int64_t>(count);
#pragma omp parallel for num_threads(threads()) schedule(static)
    for (std::int64_t i = 0; i < n; ++i)
        shared::sgd_update(x[i], g[i], momentum == 0.0f ? nullptr : velocity + i, lr, momentum);
}

}  // namespace nst::cpu
