#include "gpu_test.hpp"
#include "launch.cuh"

namespace {

// y[i] = value: the smallest kernel that shows a launch and its check.
__global__ void fill_kernel(float* y, long long n, float value) {
    const long long i = static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i < n) y[i] = value;
}

}  // namespace

namespace nst::test {

void fill(float* y, long long n, float value, int threads) {
    const long long blocks = (n + threads - 1) / threads;
    kernels::launch(fill_kernel, dim3(static_cast<unsigned>(blocks)), dim3(static_cast<unsigned>(threads)), 0, nullptr,
                    y, n, value);
}

}  // namespace nst::test
