// Shared by the GPU tests.
#pragma once

namespace nst::test {

// ctest's SKIP_RETURN_CODE for the GPU test executable (tests/CMakeLists.txt uses the same number).
constexpr int kSkipReturnCode = 77;

// Test kernels (gpu_test_kernels.cu): y[i] = value for i < n, launched with `threads` per block.
void fill(float* y, long long n, float value, int threads);

}  // namespace nst::test
