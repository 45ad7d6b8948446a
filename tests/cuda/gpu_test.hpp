// The test kernel behind the launch-check test (gpu_test_kernels.cu).
#pragma once

namespace nst::test {

// y[i] = value for i < n, launched with `threads` per block through kernels/launch.cuh's launch().
void fill(float* y, long long n, float value, int threads);

}  // namespace nst::test
