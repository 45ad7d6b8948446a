// The CUDA backend's SGD step (sgd.cuh).
#include "cuda/cuda_backend.hpp"
#include "sgd.cuh"

namespace nst::cuda {

void CudaBackend::sgd_step(float* x, const float* g, float* velocity, std::size_t count, float lr, float momentum) {
    kernels::sgd_step(x, g, velocity, count, lr, momentum, stream_.get());
}

}  // namespace nst::cuda
