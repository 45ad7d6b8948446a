// Whether the machine has an NVIDIA GPU at all: the line between a GPU test that is Skipped (nothing to run
// on) and one that must fail (a GPU is there, but a broken driver, context or cuDNN keeps libnst from it).
#pragma once

#include <string>

namespace nst::test {

// True when an NVIDIA device node (/dev/nvidia0 ... or /dev/nvidiactl) exists and the driver's library
// (libcuda.so.1) loads; otherwise false with what is missing in *why.
bool nvidia_gpu_present(std::string* why);

}  // namespace nst::test
