#include "flag_checks.hpp"

#include <string>

namespace nst::app {

namespace {

std::string non_empty(std::string& value) {
    return value.empty() ? "an empty value is not allowed" : "";
}

std::string seed_value(std::string& value) {
    static const std::string max = "18446744073709551615";  // 2^64 - 1
    // Decimal digits without a leading zero (CLI11 would read 010 as octal 8), at most 2^64 - 1.
    const bool digits = !value.empty() && value.find_first_not_of("0123456789") == std::string::npos &&
                        (value.size() == 1 || value[0] != '0');
    if (!digits || value.size() > max.size() || (value.size() == max.size() && value > max))
        return "'" + value + "' is not a seed: use a whole number from 0 to " + max + " (decimal, no leading zeros)";
    return "";
}

void add_checks(CLI::App& cmd) {
    for (CLI::Option* opt : cmd.get_options()) {
        if (opt->get_type_size() == 0 || opt->get_name() == "--help") continue;  // flags take no value
        opt->check(CLI::Validator(non_empty, "", "NONEMPTY"));
        if (opt->get_name() == "--seed") opt->check(CLI::Validator(seed_value, "", "SEED"));
    }
    for (CLI::App* sub : cmd.get_subcommands({})) add_checks(*sub);
}

}  // namespace

void add_common_flag_checks(CLI::App& app) {
    add_checks(app);
}

}  // namespace nst::app
