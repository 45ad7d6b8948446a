// The backend a command runs on, from its --device, --precision and --autotune flags, with the one-line
// notices both commands print (a CPU fallback; tf32 without CUDA).
#pragma once

#include <memory>
#include <string>

#include "nst/backend.hpp"

namespace nst::app {

// nst batch under MPI: `local_rank` (the rank among the `local_size` on this machine) picks the CUDA device
// local_rank mod the number of devices, so that the ranks of one machine share its GPUs out; on the CPU each
// rank takes its share of the cores.
std::unique_ptr<Backend> open_backend(const std::string& device, const std::string& precision, bool autotune,
                                      int local_rank = 0, int local_size = 1);

}  // namespace nst::app
