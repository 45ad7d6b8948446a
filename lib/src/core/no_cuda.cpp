// A CPU-only build's stand-ins for the CUDA side (-DNST_WITH_CUDA=OFF, or no CUDA toolkit at configure
// time): no device is ever usable, the CUDA backend cannot be made, and `nst --version` says why.
#include "core/cuda_environment.hpp"
#include "core/op_backend.hpp"
#include "nst/device.hpp"
#include "nst/error.hpp"

namespace nst {

namespace {

constexpr const char* kNoCuda = "libnst was built without CUDA (NST_WITH_CUDA=OFF)";

}  // namespace

bool cuda_device_usable(std::string* why, int) {
    if (why != nullptr) *why = kNoCuda;
    return false;
}

int cuda_device_count() noexcept {
    return 0;
}

std::unique_ptr<OpBackend> make_cuda_op_backend(const BackendOptions&) {
    throw Error(std::string("CUDA backend: ") + kNoCuda);
}

namespace detail {

void probe_cuda(Environment& env) {
    env.cuda_built = false;
    env.no_gpu_reason = kNoCuda;
}

}  // namespace detail

}  // namespace nst
