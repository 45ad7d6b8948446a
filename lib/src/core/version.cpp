#include "nst/version.hpp"

// NST_BUILD_TYPE and NST_CUDA_ARCHITECTURES are set for this file by lib/CMakeLists.txt.
namespace nst {

const char* version() noexcept { return NST_VERSION_STRING; }
const char* build_type() noexcept { return NST_BUILD_TYPE; }
const char* cuda_architectures() noexcept { return NST_CUDA_ARCHITECTURES; }
bool built_with_cuda() noexcept { return NST_WITH_CUDA != 0; }

}  // namespace nst
