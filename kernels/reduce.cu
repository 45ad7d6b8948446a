// The CUDA backend's reductions (reduce.cuh): Σ(a−b)², Σa and Σab into backend memory.
#include "cuda/cuda_backend.hpp"
#include "reduce.cuh"

namespace nst::cuda {

void CudaBackend::prepare_reductions() {
    partials_ = DeviceBuffer<double>(kernels::kReduceBlocks);
    memory_->add(partials_.bytes());
}

void CudaBackend::squared_difference_sum(const float* a, const float* b, std::size_t count, float* out) {
    kernels::squared_difference_sum(a, b, count, 1.0, partials_.data(), out, stream_.get());
}

void CudaBackend::sum(const float* a, std::size_t count, float* out) {
    kernels::sum(a, count, 1.0, partials_.data(), out, stream_.get());
}

void CudaBackend::dot(const float* a, const float* b, std::size_t count, float* out) {
    kernels::dot(a, b, count, 1.0, partials_.data(), out, stream_.get());
}

}  // namespace nst::cuda
