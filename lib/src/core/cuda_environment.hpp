// What only a CUDA build can ask of the machine, behind one private interface: cuda/cuda_device.cpp
// answers it with the CUDA runtime, cuDNN and cuBLAS; no_cuda.cpp answers for a CPU-only build.
#pragma once

#include <string>

#include "nst/environment.hpp"

namespace nst::detail {

// Fills the CUDA fields of `env`: runtime and driver versions, cuDNN and cuBLAS versions, the GPUs, and
// why none is usable (env.no_gpu_reason). A CPU-only build sets env.cuda_built = false and the reason.
void probe_cuda(Environment& env);

// Whether a loaded cuDNN (`loaded`, cuDNN 9's version scheme) can serve libnst built against `built`: ""
// when it can, else why not. libnst calls only legacy-API functions and values that cuDNN 9.0.0 has
// (docs/cuda-notes.md), so any 9.y serves it; another major version does not.
std::string cudnn_refusal(int loaded, int built);
// A note when the loaded cuDNN is an older minor than the headers libnst was built with (NVIDIA
// guarantees a minor at least as new; libnst needs only 9.0's functions), else "".
std::string cudnn_older_note(int loaded, int built);

}  // namespace nst::detail
