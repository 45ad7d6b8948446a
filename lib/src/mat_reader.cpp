#include "mat_reader.hpp"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

#include "nst/error.hpp"

namespace nst::mat {

namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& kind, const std::string& path, const std::string& what) {
    throw Error(kind + " '" + path + "': " + what);
}

std::uint32_t read_u32(const unsigned char* p, bool swapped) {
    const std::uint32_t v =
        std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 | std::uint32_t(p[3]) << 24;
    return swapped ? ((v >> 24) | ((v >> 8) & 0xff00u) | ((v << 8) & 0xff0000u) | (v << 24)) : v;
}

// Checks that `path` is a readable MAT v5/v7.3 file and, for v5, that every top-level variable lies
// inside the file (a truncated download is caught here, before matio reads a partial stream).
void check_container(const std::string& path, const std::string& kind) {
    std::error_code ec;
    if (!fs::exists(path, ec)) fail(kind, path, "no such file");
    if (fs::is_directory(path, ec)) fail(kind, path, "is a folder, not a MAT file");
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(kind, path, std::string("cannot be read: ") + std::strerror(errno));
    const std::uint64_t size = fs::file_size(path, ec);
    unsigned char header[128] = {};
    if (size < 128 || !in.read(reinterpret_cast<char*>(header), 128))
        fail(kind, path, "is not a MAT file (" + std::to_string(size) + " bytes, less than a MAT-file header)");
    const bool le = header[126] == 'I' && header[127] == 'M';
    const bool be = header[126] == 'M' && header[127] == 'I';
    if (std::memcmp(header, "MATLAB", 6) != 0 || !(le || be))
        fail(kind, path, "is not a MAT file (no MATLAB v5/v7.3 header)");
    const unsigned version = le ? (header[124] | header[125] << 8) : (header[125] | header[124] << 8);
    if (version == 0x0200) return;  // v7.3: an HDF5 file; HDF5 checks its own structure
    std::uint64_t pos = 128;
    int count = 0;
    while (pos < size) {
        unsigned char tag[8];
        if (size - pos < 8 || !in.seekg(static_cast<std::streamoff>(pos)) || !in.read(reinterpret_cast<char*>(tag), 8))
            fail(kind, path, "is truncated: " + std::to_string(size - pos) + " stray bytes after variable " +
                           std::to_string(count));
        const std::uint64_t bytes = read_u32(tag + 4, be);
        if (pos + 8 + bytes > size)
            fail(kind, path, "is truncated: variable " + std::to_string(count + 1) + " needs " + std::to_string(bytes) +
                           " bytes but the file ends " + std::to_string(size - pos - 8) + " bytes after its start");
        pos += 8 + bytes;
        ++count;
    }
    if (count == 0) fail(kind, path, "holds no variables");
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
    if (v == nullptr || v->class_type != MAT_C_CHAR) return {};
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
    std::vector<float> out(n);
    if (n == 0) return out;
    if (n > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        fail(what + " have " + std::to_string(n) + " elements, more than matio can read at once");
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
