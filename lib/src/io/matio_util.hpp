// Owners and helpers around matio (MAT-file I/O). Private to libnst.
#pragma once

#include <matio.h>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace nst::mat {

struct FileCloser {
    void operator()(mat_t* m) const noexcept { Mat_Close(m); }
};
using File = std::unique_ptr<mat_t, FileCloser>;

struct VarFreer {
    void operator()(matvar_t* v) const noexcept { Mat_VarFree(v); }
};
using Var = std::unique_ptr<matvar_t, VarFreer>;

// matio reports problems through a log function (stderr by default). libnst installs one, once, that
// keeps the last message for its own error text instead of printing it.
void capture_matio_messages();
// The last message matio logged since the previous call, as one line ("" if none); clears it.
std::string take_matio_message();

// "single", "double", "int32", "char", "cell", "struct", ...
const char* class_name(matio_classes c) noexcept;

// "3x3x64x128"; both accept nullptr ("(missing)", 0).
std::string dims_text(const matvar_t* v);

// Where filter element (out o, in i, row r, col s) of a K x K filter bank with `in` input channels sits in
// MATLAB's K x K x in x out array (column-major): the order of MatConvNet's and Keras's kernels.
inline std::size_t filter_index(std::size_t o, std::size_t i, std::size_t r, std::size_t s, std::size_t in,
                                std::size_t k) {
    return r + k * (s + k * (i + in * o));
}
// Element i of a cell array, or nullptr where matio's Mat_VarGetCell would crash or answer garbage: not a
// cell, no data (an allocation inside matio failed), or i past the elements it holds.
matvar_t* cell(const matvar_t* v, std::size_t i);

// Product of the dimensions (0 for nullptr or rank 0; SIZE_MAX if it overflows).
std::size_t element_count(const matvar_t* v);

}  // namespace nst::mat
