// The CUDA backend's 2x2/stride-2 pooling: cuDNN when both sizes are even (no padding then, so cuDNN's
// floored output equals TensorFlow's 'SAME' one), libnst's kernels (pool.cuh) when a size is odd.
#include "cuda/cuda_backend.hpp"
#include "pool.cuh"

namespace nst::cuda {

const PoolPlan& CudaBackend::pool_plan(const PoolShape& s) {
    const PoolKey key{s.batch, s.channels, s.height, s.width, static_cast<int>(s.mode)};
    auto it = pool_plans_.find(key);
    if (it != pool_plans_.end()) return it->second;
    PoolPlan p;
    p.x = make_tensor_descriptor(s.batch, s.channels, s.height, s.width);
    p.y = make_tensor_descriptor(s.batch, s.channels, s.out_height(), s.out_width());
    // Deterministic max pooling; the average excludes padding (there is none at even sizes).
    p.pool = make_pooling_descriptor(
        s.mode == PoolMode::Max ? CUDNN_POOLING_MAX_DETERMINISTIC : CUDNN_POOLING_AVERAGE_COUNT_EXCLUDE_PADDING, 2, 0,
        2);
    return pool_plans_.emplace(key, std::move(p)).first->second;
}

void CudaBackend::pool_forward(const PoolShape& s, const float* x, float* y) {
    const std::size_t planes = std::size_t(s.batch) * s.channels;
    if (s.height % 2 != 0 || s.width % 2 != 0) {
        kernels::same_pool_forward(x, planes, s.height, s.width, s.mode == PoolMode::Max, y, stream_.get());
        return;
    }
    const PoolPlan& p = pool_plan(s);
    const float one = 1.0f, zero = 0.0f;
    CHECK_CUDNN(cudnnPoolingForward(dnn_.get(), p.pool.get(), &one, p.x.get(), x, &zero, p.y.get(), y));
}

void CudaBackend::pool_backward(const PoolShape& s, const float* x, const float* y, const float* dy, float* dx) {
    const std::size_t planes = std::size_t(s.batch) * s.channels;
    if (s.height % 2 != 0 || s.width % 2 != 0) {
        kernels::same_pool_backward(x, y, dy, planes, s.height, s.width, s.mode == PoolMode::Max, dx, stream_.get());
        return;
    }
    const PoolPlan& p = pool_plan(s);
    const float one = 1.0f, zero = 0.0f;
    CHECK_CUDNN(cudnnPoolingBackward(dnn_.get(), p.pool.get(), &one, p.y.get(), y, p.y.get(), dy, p.x.get(), x, &zero,
                                     p.x.get(), dx));
}

}  // namespace nst::cuda
