// Reading MAT files through matio with libnst's checks, for every reader of MAT files (VGG-19 weights,
// ResNet-50 weights): the container is checked before matio touches it (exists, not a folder, a MAT v5 or
// v7.3 header, every v5 variable inside the file: a truncated download is named, not crashed on), the
// top-level variables are read as headers only, and data is read only after its class and size were
// checked. Failures throw nst::Error as "<kind> '<path>': <what>". Private to libnst.
#pragma once

#include <string>
#include <vector>

#include "matio_util.hpp"

namespace nst::mat {

class Reader {
public:
    Reader(std::string path, std::string kind);  // kind: "weights file", ...

    [[noreturn]] void fail(const std::string& what) const;
    const std::string& path() const noexcept { return path_; }
    bool v73() const noexcept { return v73_; }
    // A top-level variable's header (no data), or nullptr.
    matvar_t* top(const char* name) const;
    std::string top_names() const;  // "a, b, c" for messages
    // A char array's text ("" for anything else).
    std::string read_string(matvar_t* v) const;
    // nst::Error unless v is a real single or double array (checked from its header: nothing is read).
    void check_floats(matvar_t* v, const std::string& what) const;
    // A real single or double array as float (double is converted); `what` names it in errors.
    std::vector<float> read_floats(matvar_t* v, const std::string& what) const;
    // " [matio: <its last message>]" or "".
    std::string matio_detail() const;

private:
    std::string path_;
    std::string kind_;
    File file_;
    std::vector<Var> top_;
    bool v73_ = false;
};

}  // namespace nst::mat
