#include "io/matio_util.hpp"

#include <cstdint>
#include <mutex>

namespace nst::mat {

namespace {

thread_local std::string g_last_message;

void keep_message(int /*level*/, char* message) {
    if (message != nullptr) g_last_message = message;
}

}  // namespace

void capture_matio_messages() {
    static std::once_flag once;
    std::call_once(once, [] { Mat_LogInitFunc("libnst", keep_message); });
}

std::string take_matio_message() {
    std::string m;
    m.swap(g_last_message);
    // HDF5 (v7.3 files) hands matio a multi-line error stack: keep its "minor:" line, the actual cause.
    std::string prefix;
    if (const std::size_t minor = m.find("minor:"); minor != std::string::npos) {
        prefix = "HDF5: ";
        m = m.substr(minor + 6);
    }
    if (const std::size_t eol = m.find('\n'); eol != std::string::npos) m.resize(eol);
    const std::size_t first = m.find_first_not_of(" \t");
    return first == std::string::npos ? std::string() : prefix + m.substr(first);
}

const char* class_name(matio_classes c) noexcept {
    switch (c) {
        case MAT_C_CELL: return "cell";
        case MAT_C_STRUCT: return "struct";
        case MAT_C_OBJECT: return "object";
        case MAT_C_CHAR: return "char";
        case MAT_C_SPARSE: return "sparse";
        case MAT_C_DOUBLE: return "double";
        case MAT_C_SINGLE: return "single";
        case MAT_C_INT8: return "int8";
        case MAT_C_UINT8: return "uint8";
        case MAT_C_INT16: return "int16";
        case MAT_C_UINT16: return "uint16";
        case MAT_C_INT32: return "int32";
        case MAT_C_UINT32: return "uint32";
        case MAT_C_INT64: return "int64";
        case MAT_C_UINT64: return "uint64";
        case MAT_C_FUNCTION: return "function";
        case MAT_C_OPAQUE: return "opaque";
        default: return "empty";
    }
}

std::string dims_text(const matvar_t* v) {
    if (v == nullptr || (v->rank > 0 && v->dims == nullptr)) return "(missing)";
    std::string text;
    for (int i = 0; i < v->rank; ++i) {
        if (i > 0) text += "x";
        text += std::to_string(v->dims[i]);
    }
    return text;
}

matvar_t* cell(const matvar_t* v, std::size_t i) {
    if (v == nullptr || v->class_type != MAT_C_CELL || v->data == nullptr) return nullptr;
    const std::size_t held = v->nbytes / sizeof(matvar_t*);
    if (i >= held || i >= element_count(v)) return nullptr;
    return static_cast<matvar_t* const*>(v->data)[i];
}

std::size_t element_count(const matvar_t* v) {
    if (v == nullptr) return 0;
    if (v->rank <= 0 || v->dims == nullptr) return 0;
    std::size_t n = 1;
    for (int i = 0; i < v->rank; ++i) {
        if (v->dims[i] != 0 && n > SIZE_MAX / v->dims[i]) return SIZE_MAX;  // saturates: callers refuse it
        n *= v->dims[i];
    }
    return n;
}

}  // namespace nst::mat
