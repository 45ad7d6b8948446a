#include "io/mat_reader.hpp"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <limits>

#include "io/input_file.hpp"
#include "io/mat_v5_check.hpp"
#include "nst/error.hpp"

namespace nst::mat {

namespace {

[[noreturn]] void fail(const std::string& kind, const std::string& path, const std::string& what) {
    throw Error(kind + " '" + path + "': " + what);
}

std::string utf8_from_code_units(const matvar_t* v) {
    std::string out;
    const std::size_t unit = Mat_SizeOf(v->data_type);
    if (unit == 1) return std::string(static_cast<const char*>(v->data), v->nbytes);
    if (unit == 2) {
        const auto* p = static_cast<const std::uint16_t*>(v->data);
        for (std::size_t i = 0; i < v->nbytes / 2; ++i) {
            const unsigned c = p[i];
            if (c < 0x80) {
                out += static_cast<char>(c);
            } else if (c < 0x800) {
                out += static_cast<char>(0xC0 | (c >> 6));
                out += static_cast<char>(0x80 | (c & 0x3F));
            } else {
                out += static_cast<char>(0xE0 | (c >> 12));
                out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
                out += static_cast<char>(0x80 | (c & 0x3F));
            }
        }
    }
    return out;
}

}  // namespace

void check_container(const std::string& path, const std::string& kind) {
    const std::uint64_t size = check_input_file(path, kind);
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(kind, path, std::string("cannot be read: ") + std::strerror(errno));
    unsigned char header[128] = {};
    if (size < 128 || !in.read(reinterpret_cast<char*>(header), 128))
        fail(kind, path, "is not a MAT file (" + std::to_string(size) + " bytes, less than a MAT-file header)");
    const bool le = header[126] == 'I' && header[127] == 'M';
    const bool be = header[126] == 'M' && header[127] == 'I';
    if (std::memcmp(header, "MATLAB", 6) != 0 || !(le || be))
        fail(kind, path, "is not a MAT file (no MATLAB v5/v7.3 header)");
    const unsigned version = le ? (header[124] | header[125] << 8) : (header[125] | header[124] << 8);
    if (version == 0x0200) return;  // v7.3: an HDF5 file; HDF5 checks its own structure
    try {
        if (check_v5_structure(in, size, be) == 0) fail(kind, path, "holds no variables");
    } catch (const Error& e) {
        const std::string what = e.what();
        if (what.rfind(kind, 0) == 0) throw;
        fail(kind, path, what.rfind("is truncated", 0) == 0 ? what : "is truncated or corrupt: " + what);
    }
}


void close_written(File& file, const std::string& temp, const std::string& path) {
    if (Mat_Close(file.release()) != 0) throw Error("cannot write '" + path + "': matio could not finish the file");
    try {
        check_container(temp, "written file");
    } catch (const Error& e) {
        throw Error("cannot write '" + path + "': the file came out incomplete (is the disk full?): " + e.what());
    }
}

Reader::Reader(std::string path, std::string kind) : path_(std::move(path)), kind_(std::move(kind)) {
    capture_matio_messages();
    take_matio_message();  // forget what an earlier file left
    check_container(path_, kind_);
    file_.reset(Mat_Open(path_.c_str(), MAT_ACC_RDONLY));
    if (!file_) fail("could not be opened as a MAT file" + matio_detail());
    v73_ = Mat_GetVersion(file_.get()) == MAT_FT_MAT73;
    while (matvar_t* v = Mat_VarReadNextInfo(file_.get())) top_.emplace_back(v);
    if (top_.empty()) fail("is truncated or corrupt: no variable could be read" + matio_detail());
}

void Reader::fail(const std::string& what) const {
    mat::fail(kind_, path_, what);
}

matvar_t* Reader::top(const char* name) const {
    for (const mat::Var& v : top_)
        if (v->name != nullptr && std::strcmp(v->name, name) == 0) return v.get();
    return nullptr;
}

std::string Reader::top_names() const {
    std::string s;
    for (const mat::Var& v : top_) s += (s.empty() ? "" : ", ") + std::string(v->name ? v->name : "?");
    return s.empty() ? "nothing readable" : s;
}

std::string Reader::read_string(matvar_t* v) const {
    // Names and types are short: a longer char array is not one libnst reads (and a v7.3 file could
    // declare gigabytes of it).
    if (v == nullptr || v->class_type != MAT_C_CHAR || mat::element_count(v) > 4096) return {};
    if (v->data == nullptr && mat::element_count(v) > 0 && Mat_VarReadDataAll(file_.get(), v) != 0) return {};
    if (v->data == nullptr) return {};
    return utf8_from_code_units(v);
}

void Reader::check_floats(matvar_t* v, const std::string& what) const {
    if (v == nullptr) fail(what + " are unreadable (corrupt file)");
    if (v->isComplex)
        fail(what + " are complex " + mat::class_name(v->class_type) + ", expected real single (or double)");
    if (v->class_type != MAT_C_SINGLE && v->class_type != MAT_C_DOUBLE)
        fail(what + " are " + mat::class_name(v->class_type) + ", expected single (or double)");
}

std::vector<float> Reader::read_floats(matvar_t* v, const std::string& what) const {
    check_floats(v, what);
    const std::size_t n = mat::element_count(v);
    if (n > kMaxReadElements)
        fail(what + " are " + mat::dims_text(v) + ": more than the " + std::to_string(kMaxReadElements) +
             " values libnst reads from one array (VGG-19's and ResNet-50's largest convolution has 2,359,296)");
    if (n == 0) return {};
    try {
        return read_checked_floats(v, n, what);
    } catch (const std::bad_alloc&) {
        fail(what + " (" + mat::dims_text(v) + ") do not fit in memory");
    }
}

std::vector<float> Reader::read_checked_floats(matvar_t* v, std::size_t n, const std::string& what) const {
    std::vector<float> out(n);
    // v5: one linear read (matio's N-d slab reader goes element by element: seconds for VGG-19).
    // v7.3: one N-d slab read (HDF5's linear path is the slow one there).
    std::vector<int> start(static_cast<std::size_t>(v->rank), 0), stride(start.size(), 1), edge(start.size());
    for (std::size_t i = 0; i < edge.size(); ++i) edge[i] = static_cast<int>(v->dims[i]);
    auto read = [&](void* data) {
        return v73_ ? Mat_VarReadData(file_.get(), v, data, start.data(), stride.data(), edge.data())
                    : Mat_VarReadDataLinear(file_.get(), v, data, 0, 1, static_cast<int>(n));
    };
    int rc = 0;
    if (v->class_type == MAT_C_SINGLE) {
        rc = read(out.data());
    } else {
        std::vector<double> tmp(n);
        rc = read(tmp.data());
        for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<float>(tmp[i]);
    }
    if (rc != 0) fail("reading " + what + " failed (the file is truncated or corrupt)" + matio_detail());
    return out;
}

std::string Reader::matio_detail() const {
    const std::string m = mat::take_matio_message();
    return m.empty() ? std::string() : " [matio: " + m + "]";
}

}  // namespace nst::mat
