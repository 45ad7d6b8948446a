#include "cuda_check.hpp"
#include "gpu_test.hpp"

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
    fill_kernel<<<static_cast<unsigned>(blocks), static_cast<unsigned>(threads)>>>(y, n, value);
    CHECK_LAUNCH();
}

}  // namespace nst::test
