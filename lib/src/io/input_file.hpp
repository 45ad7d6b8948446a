// Checks every input file passes before libnst reads it. Private to libnst.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nst {

// nst::Error "<kind> '<path>': ..." unless `path` exists and is (or links to) a regular file: a folder, a
// FIFO (which would block forever), a device or a socket is refused. Returns its size in bytes.
std::uint64_t check_input_file(const std::string& path, const std::string& kind);

// The whole file, after check_input_file, refusing files over `max_bytes` before reading them.
std::vector<unsigned char> read_input_file(const std::string& path, const std::string& kind, std::uint64_t max_bytes);

}  // namespace nst
