// A MAT v5 file's structure, checked element by element before matio reads it: matio allocates by the
// sizes a file declares (a struct of 1x4294967294 elements, a cell of 2^30) before it finds out that the
// data is not there. This walk reads every tag (inflating compressed variables as a stream) and allocates
// nothing per element, so whatever it accepts matio can allocate for: every declared count is matched by
// elements actually present, every numeric array by its bytes. Private to libnst.
#pragma once

#include <cstdint>
#include <istream>
#include <string>

namespace nst::mat {

struct V5Limits {
    int max_depth = 16;                                 // cells and structs nested
    std::uint64_t max_nodes = 1u << 20;                 // arrays in the whole file (VGG-19's: a few thousand)
    std::uint64_t max_inflated_bytes = 3ull << 30;      // per compressed variable (VGG-19's weights: 575 MB)
};

// Walks the variables after the 128-byte header of a v5 file of `size` bytes read through `in`
// (`swapped`: the file's byte order is not this machine's). Throws nst::Error "<what>" (no file name:
// the caller adds it) at the first inconsistency; returns the number of top-level variables.
int check_v5_structure(std::istream& in, std::uint64_t size, bool swapped, const V5Limits& limits = {});

}  // namespace nst::mat
