// Writes the seed corpus of tests/fuzz (see seeds.cpp).
#pragma once

#include <string>

#include "mutate.hpp"

namespace nst::fuzz {

void write_seeds(const std::string& out);

}  // namespace nst::fuzz
