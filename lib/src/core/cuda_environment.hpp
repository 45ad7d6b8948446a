// What only a CUDA build can ask of the machine, behind one private interface: cuda/cuda_device.cpp
// answers it with the CUDA runtime, cuDNN and cuBLAS; no_cuda.cpp answers for a CPU-only build.
#pragma once

#include "nst/environment.hpp"

namespace nst::detail {

// Fills the CUDA fields of `env`: runtime and driver versions, cuDNN and cuBLAS versions, the GPUs, and
// why none is usable (env.no_gpu_reason). A CPU-only build sets env.cuda_built = false and the reason.
void probe_cuda(Environment& env);

}  // namespace nst::detail
