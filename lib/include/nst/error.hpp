// nst::Error: the one exception type libnst throws.
#pragma once

#include <stdexcept>
#include <string>

namespace nst {

// Either a user-facing error (bad file, flag, image: only `message` is set) or a failed library call
// (`statement` is the call as written, `file`:`line` where it was made, `message` what the library said).
// what() is one line in both cases.
class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message);
    Error(std::string statement, std::string file, int line, const std::string& message);

    const std::string& statement() const noexcept { return statement_; }
    const std::string& file() const noexcept { return file_; }
    int line() const noexcept { return line_; }
    const std::string& message() const noexcept { return message_; }

private:
    std::string statement_;
    std::string file_;
    int line_ = 0;
    std::string message_;
};

// A TransferOptions field (or another named option of libnst's) with a value it refuses. option() is the
// field's name as written in C++ ("iterations", "style_weight", "lbfgs.history"), detail() the rest of the
// message ("-5 (must be >= 0)", ": unknown VGG-19 layer 'relu9_1' ..."), and what() the two together, so
// that a program with its own option names (the nst app's flags) can put those in front of detail().
class OptionError : public Error {
public:
    OptionError(std::string option, std::string detail);

    const std::string& option() const noexcept { return option_; }
    const std::string& detail() const noexcept { return detail_; }

private:
    std::string option_;
    std::string detail_;
};

// "<option> <detail>", or "<option><detail>" when the detail starts with ':'.
std::string option_message(const std::string& option, const std::string& detail);

}  // namespace nst
