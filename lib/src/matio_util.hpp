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
std::size_t element_count(const matvar_t* v);

}  // namespace nst::mat
