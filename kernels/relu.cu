// The CUDA backend's ReLU backward: cuDNN's activation backward over the tensor viewed as 1 x 1 x 1 x n.
// (The forward ReLU is fused into the convolution: conv.cu.)
#include "cuda/cuda_backend.hpp"
#include "nst/error.hpp"

namespace nst::cuda {

cudnnTensorDescriptor_t CudaBackend::flat_descriptor(std::size_t count) {
    auto it = flat_descriptors_.find(count);
    if (count > INT32_MAX) throw Error("relu: " + std::to_string(count) + " elements (at most 2^31 - 1)");
    if (it == flat_descriptors_.end())
        it = flat_descriptors_.emplace(count, make_tensor_descriptor(1, 1, 1, static_cast<int>(count))).first;
    return it->second.get();
}

void CudaBackend::relu_backward(const float* y, const float* dy, float* dx, std::size_t count) {
    if (count == 0) return;
    const float one = 1.0f, zero = 0.0f;
    cudnnTensorDescriptor_t d = flat_descriptor(count);
    // The pre-activation x never exists after a fused forward; for ReLU the mask y > 0 equals x > 0, so y
    // stands in for x.
    CHECK_CUDNN(cudnnActivationBackward(dnn_.get(), relu_.get(), &one, d, y, d, dy, d, y, &zero, d, dx));
}

}  // namespace nst::cuda
