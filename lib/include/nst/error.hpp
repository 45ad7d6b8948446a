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

}  // namespace nst
