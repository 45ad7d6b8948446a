#include "nst/error.hpp"

#include <utility>

namespace nst {

namespace {

std::string describe(const std::string& statement, const std::string& file, int line, const std::string& message) {
    return file + ":" + std::to_string(line) + ": " + statement + " failed: " + message;
}

}  // namespace

Error::Error(const std::string& message) : std::runtime_error(message), message_(message) {}

Error::Error(std::string statement, std::string file, int line, const std::string& message)
    : std::runtime_error(describe(statement, file, line, message)),
      statement_(std::move(statement)),
      file_(std::move(file)),
      line_(line),
      message_(message) {}

std::string option_message(const std::string& option, const std::string& detail) {
    return option + (!detail.empty() && detail[0] == ':' ? "" : " ") + detail;
}

OptionError::OptionError(std::string option, std::string detail)
    : Error(option_message(option, detail)), option_(std::move(option)), detail_(std::move(detail)) {}

}  // namespace nst
