// Checks every subcommand's flags share, added once after all flags exist: no flag takes an empty value
// (CLI11 would read `--iterations ""` as 0), and a seed is a decimal number that fits in 64 bits (CLI11
// would wrap -1 and 2^64 silently).
#pragma once

#include <CLI/CLI.hpp>

namespace nst::app {

void add_common_flag_checks(CLI::App& app);

}  // namespace nst::app
