// How libnst's kernels are launched, written once: every launch goes through launch(), which checks it,
// and every elementwise kernel is for_each_index() with its element function, so the grid-stride loop and
// the grid sizing exist in one place. Private to the kernels.
//
// Under nvcc, launch() is kernel<<<...>>>. Compiled by the host compiler (only the kernel tests do that,
// with tests/harness/include ahead on the include path: its cuda_runtime.h stands in for CUDA's), it runs
// the grid on the CPU through the kernel harness: blocks one after another, each block's threads as
// cooperative fibers that switch at every __syncthreads and warp collective (tests/harness/harness.hpp).
#pragma once

#include <algorithm>
#include <cstddef>
#include <utility>

#include "cuda/cuda_check.hpp"

// A kernel defined in an op's .cuh: internal linkage, one copy in each translation unit that includes the
// header (the op's .cu, and the kernel tests), none of which must launch it. Template kernels need no mark.
#define NST_KERNEL [[maybe_unused]] static __global__

// Dynamic shared memory (the launch's shared_bytes) as an array of T named `name`, inside a kernel. Use this
// instead of `extern __shared__ T name[];`, which the kernel harness cannot give one copy per block.
#if defined(__CUDACC__)
#define NST_DYNAMIC_SHARED(T, name) extern __shared__ T name[]
#else
#define NST_DYNAMIC_SHARED(T, name) T* const name = static_cast<T*>(::nst::harness::dynamic_shared())
#endif

namespace nst::kernels {

constexpr int kElementwiseThreads = 256;
constexpr std::size_t kMaxElementwiseBlocks = 65535;

// Enough blocks to cover n once, capped: the grid-stride loop covers the rest.
inline unsigned elementwise_blocks(std::size_t n) {
    const std::size_t blocks = (n + kElementwiseThreads - 1) / kElementwiseThreads;
    return static_cast<unsigned>(std::max<std::size_t>(1, std::min(blocks, kMaxElementwiseBlocks)));
}

// The indices of [0, n) the calling thread handles: its global index, then steps of the whole grid.
// `for (std::size_t i : grid_stride(n))`.
class GridStride {
public:
    class Iterator {
    public:
        __device__ Iterator(std::size_t i, std::size_t step) : i_(i), step_(step) {}
        __device__ std::size_t operator*() const { return i_; }
        __device__ Iterator& operator++() {
            i_ += step_;
            return *this;
        }
        // Only compared with end(): "not yet past n".
        __device__ bool operator!=(const Iterator& end) const { return i_ < end.i_; }

    private:
        std::size_t i_, step_;
    };
    __device__ explicit GridStride(std::size_t n)
        : first_(static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x),
          step_(static_cast<std::size_t>(gridDim.x) * blockDim.x),
          n_(n) {}
    __device__ Iterator begin() const { return Iterator(first_, step_); }
    __device__ Iterator end() const { return Iterator(n_, step_); }

private:
    std::size_t first_, step_, n_;
};

__device__ inline GridStride grid_stride(std::size_t n) {
    return GridStride(n);
}

// kernel<<<grid, block, shared_bytes, stream>>>(args...), then the launch checked (a bad configuration is
// reported here, naming this call, not by the next call that happens to look).
template <class... Params, class... Args>
void launch(void (*kernel)(Params...), dim3 grid, dim3 block, std::size_t shared_bytes, cudaStream_t stream,
            Args&&... args) {
#if defined(__CUDACC__)
    kernel<<<grid, block, shared_bytes, stream>>>(std::forward<Args>(args)...);
#else
    ::nst::harness::launch(kernel, grid, block, shared_bytes, stream, std::forward<Args>(args)...);
#endif
    CHECK_LAUNCH();
}

template <class F>
__global__ void for_each_index_kernel(std::size_t n, F f) {
    for (std::size_t i : grid_stride(n)) f(i);
}

// f(i) for every i in [0, n) on `stream`, one element per thread and grid step: the elementwise kernels.
// f is a __device__ lambda capturing its pointers and scalars by value.
template <class F>
void for_each_index(std::size_t n, cudaStream_t stream, F f) {
    if (n == 0) return;
    launch(for_each_index_kernel<F>, dim3(elementwise_blocks(n)), dim3(kElementwiseThreads), 0, stream, n, f);
}

}  // namespace nst::kernels
