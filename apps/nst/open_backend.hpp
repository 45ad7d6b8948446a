// The backend a command runs on, from its --device, --precision and --autotune flags, with the one-line
// notices both commands print (a CPU fallback; tf32 without CUDA).
#pragma once

#include <memory>
#include <string>

#include "nst/backend.hpp"

namespace nst::app {

std::unique_ptr<Backend> open_backend(const std::string& device, const std::string& precision, bool autotune);

}  // namespace nst::app
