// Reading MAT v7.3 files without trusting HDF5 with the process. libnst walks a v5 file's structure itself
// before matio reads it (mat_v5_check.hpp), but a v7.3 file is an HDF5 file, and Debian's HDF5 crashes on
// some corrupted ones (a segmentation fault inside H5HG_read while matio reads an attribute; 2 of 300
// mutants of a small VGG-19 file) or allocates gigabytes for them. So a v7.3 file is first read in a forked
// child process, with a memory and a time limit; only if that child finished does the caller read it
// in-process. Private to libnst.
#pragma once

#include <functional>
#include <string>

namespace nst::mat {

// For a MAT v7.3 `path`: runs `read` in a child process first and throws nst::Error "<kind> '<path>': ..."
// if it crashed, ran out of memory or time, or threw (then with the child's own message). Does nothing
// for any other file (v5 files are checked by check_container; a missing file is the caller's to report).
void read_in_child_first_if_v73(const std::string& path, const std::string& kind, const std::function<void()>& read);

}  // namespace nst::mat
