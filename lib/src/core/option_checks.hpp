// The rules options are checked by, one wording for every option of libnst's (the transfer's, training's):
// each throws OptionError naming the option, the value and what it must be. Private to libnst.
#pragma once

#include <string>

namespace nst {

std::string option_number(double v);  // the shortest text that reads back as the same float: "2", "0.001"
void check_at_least_zero(const char* option, float v);
void check_positive(const char* option, float v);
void check_range(const char* option, double v, double lo, double hi, const char* note = "");
void check_beta(const char* option, float v);  // [0, 1)

}  // namespace nst
