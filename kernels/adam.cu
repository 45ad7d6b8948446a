// The CUDA backend's Adam step (adam.cuh), with the step's constants computed on the host in double.
#include "adam.cuh"
#include "cuda/cuda_backend.hpp"

namespace nst::cuda {

void CudaBackend::adam_step(float* x, const float* g, float* m, float* v, std::size_t count, int step,
                            const AdamParams& params) {
    kernels::adam_step(x, g, m, v, count, shared::adam_step_constants(params, step), stream_.get());
}

}  // namespace nst::cuda
