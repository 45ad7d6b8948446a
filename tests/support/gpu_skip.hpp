// How the test executable reports a GPU test case it cannot run (support/test_main.cpp).
#pragma once

namespace nst::test {

// ctest's SKIP_RETURN_CODE for [gpu] test cases (tests/CMakeLists.txt uses the same number).
constexpr int kSkipReturnCode = 77;

}  // namespace nst::test
