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

}  // namespace nst
