#include "core/option_checks.hpp"

#include <cmath>
#include <cstdio>

#include "nst/error.hpp"

namespace nst {

// Shortest text that reads back as the same float ("2", "0.001", "nan").
std::string option_number(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", v);
    return text;
}

void check_at_least_zero(const char* option, float v) {
    if (!std::isfinite(v) || v < 0) throw OptionError(option, option_number(v) + " (must be a finite number >= 0)");
}

void check_positive(const char* option, float v) {
    if (!std::isfinite(v) || v <= 0) throw OptionError(option, option_number(v) + " (must be a finite number > 0)");
}

void check_range(const char* option, double v, double lo, double hi, const char* note) {
    if (!(v >= lo && v <= hi))
        throw OptionError(option, option_number(v) + " (must be " + option_number(lo) + " to " + option_number(hi) + note + ")");
}

void check_beta(const char* option, float v) {
    if (!(v >= 0 && v < 1)) throw OptionError(option, option_number(v) + " (must be at least 0 and below 1)");
}

}  // namespace nst
