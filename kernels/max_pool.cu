// The CUDA backend's max pooling: cuDNN's deterministic max pooling (padding excluded from the maximum, as
// the CPU backend does), descriptors cached per shape.
#include "cuda/cuda_backend.hpp"
#include "core/shape_checks.hpp"

namespace nst::cuda {

const PoolPlan& CudaBackend::max_pool_plan(const MaxPoolShape& s) {
    check_max_pool_shape(s);
    const MaxPoolKey key{s.batch, s.channels, s.height, s.width, s.window, s.stride, s.pad};
    auto it = max_pool_plans_.find(key);
    if (it != max_pool_plans_.end()) return it->second;
    PoolPlan p;
    p.x = make_tensor_descriptor(s.batch, s.channels, s.height, s.width);
    p.y = make_tensor_descriptor(s.batch, s.channels, s.out_height(), s.out_width());
    p.pool = make_pooling_descriptor(CUDNN_POOLING_MAX_DETERMINISTIC, s.window, s.pad, s.stride);
    return max_pool_plans_.emplace(key, std::move(p)).first->second;
}

void CudaBackend::max_pool_forward(const MaxPoolShape& s, const float* x, float* y) {
    const PoolPlan& p = max_pool_plan(s);
    const float one = 1.0f, zero = 0.0f;
    CHECK_CUDNN(cudnnPoolingForward(dnn_.get(), p.pool.get(), &one, p.x.get(), x, &zero, p.y.get(), y));
}

void CudaBackend::max_pool_backward(const MaxPoolShape& s, const float* x, const float* y, const float* dy, float* dx) {
    const PoolPlan& p = max_pool_plan(s);
    const float one = 1.0f, zero = 0.0f;
    CHECK_CUDNN(cudnnPoolingBackward(dnn_.get(), p.pool.get(), &one, p.y.get(), y, p.y.get(), dy, p.x.get(), x, &zero,
                                     p.x.get(), dx));
}

}  // namespace nst::cuda
