// The CUDA backend's residual add (add.cuh).
#include "add.cuh"
#include "cuda/cuda_backend.hpp"

namespace nst::cuda {

void CudaBackend::add(const float* a, const float* b, float* y, std::size_t count, bool relu) {
    kernels::add(a, b, y, count, relu, stream_.get());
}

}  // namespace nst::cuda
