// Reading MAT files through matio with libnst's checks, for every reader of MAT files (VGG-19 weights,
// ResNet-50 weights): the container is checked before matio touches it (exists, not a folder, a MAT v5 or
// v7.3 header, every v5 variable inside the file: a truncated download is named, not crashed on), the
// top-level variables are read as headers only, and data is read only after its class and size were
// checked. Failures throw nst::Error as "<kind> '<path>': <what>". Private to libnst.
#pragma once

#include <string>
#include <vector>

#include "io/matio_util.hpp"

namespace nst::mat {

// nst::Error "<kind> '<path>': ..." unless `path` is a regular file with a MAT v5 or v7.3 header and, for
// v5, a structure that check_v5_structure accepts (every variable inside the file, every declared count
// backed by data): a truncated download or a crafted header is named before matio allocates for it.
void check_container(const std::string& path, const std::string& kind);

// Closes a MAT file matio wrote at `temp` (the AtomicFile's temporary for `path`) and checks it back: matio
// does not report every failed write, so a full disk shows up here as an incomplete file. nst::Error names
// `path`.
void close_written(File& file, const std::string& temp, const std::string& path);

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

    // The most values read_floats reads from one array (2^26: 256 MB as float; VGG-19's and ResNet-50's
    // largest convolutions hold 2,359,296).
    static constexpr std::size_t kMaxReadElements = std::size_t(1) << 26;

private:
    std::vector<float> read_checked_floats(matvar_t* v, std::size_t n, const std::string& what) const;

    std::string path_;
    std::string kind_;
    File file_;
    std::vector<Var> top_;
    bool v73_ = false;
};

}  // namespace nst::mat
