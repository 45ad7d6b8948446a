#include "io/mat_v5_check.hpp"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <vector>

#include "nst/error.hpp"

namespace nst::mat {

namespace {

// MAT v5 data types and classes (MATLAB's "MAT-File Format", level 5).
enum : std::uint32_t { miINT8 = 1, miINT32 = 5, miUINT32 = 6, miMATRIX = 14, miCOMPRESSED = 15 };
enum : std::uint32_t { kCell = 1, kStruct = 2, kObject = 3, kChar = 4, kSparse = 5, kUint64 = 15 };

std::uint32_t type_size(std::uint32_t type) {
    static constexpr std::array<std::uint32_t, 19> sizes = {0, 1, 1, 2, 2, 4, 4, 4, 0, 8, 0, 0, 8, 8, 0, 0, 1, 2, 4};
    return type < sizes.size() ? sizes[type] : 0;  // 0: not a numeric type
}

[[noreturn]] void fail(const std::string& what) { throw Error(what); }

// Bytes of one variable: straight from the file, or inflated from a compressed element, as a stream.
class Source {
public:
    virtual ~Source() = default;
    virtual void read(unsigned char* out, std::uint64_t n) = 0;  // fails at the end of the variable
    virtual void skip(std::uint64_t n) = 0;
};

class FileSource : public Source {
public:
    FileSource(std::istream& in, std::uint64_t left) : in_(in), left_(left) {}
    void read(unsigned char* out, std::uint64_t n) override {
        take(n);
        if (!in_.read(reinterpret_cast<char*>(out), static_cast<std::streamsize>(n))) fail("the file ends early");
    }
    void skip(std::uint64_t n) override {
        take(n);
        if (!in_.seekg(static_cast<std::streamoff>(n), std::ios::cur)) fail("the file ends early");
    }

private:
    void take(std::uint64_t n) {
        if (n > left_) fail("an element runs past the end of its variable");
        left_ -= n;
    }
    std::istream& in_;
    std::uint64_t left_;
};

class InflateSource : public Source {
public:
    InflateSource(std::istream& in, std::uint64_t compressed, std::uint64_t max_out)
        : in_(in), compressed_left_(compressed), max_out_(max_out) {
        if (inflateInit(&z_) != Z_OK) fail("zlib could not start");
    }
    ~InflateSource() override { inflateEnd(&z_); }
    void read(unsigned char* out, std::uint64_t n) override {
        while (n > 0) {
            const std::uint64_t got = produce(out, n);
            out += got;
            n -= got;
        }
    }
    void skip(std::uint64_t n) override {
        std::array<unsigned char, 16384> sink{};
        while (n > 0) n -= produce(sink.data(), std::min<std::uint64_t>(n, sink.size()));
    }

private:
    std::uint64_t produce(unsigned char* out, std::uint64_t n) {
        if (z_.avail_in == 0) refill();
        const std::uint64_t want = std::min<std::uint64_t>(n, 1u << 30);
        z_.next_out = out;
        z_.avail_out = static_cast<uInt>(want);
        const int rc = inflate(&z_, Z_NO_FLUSH);
        const std::uint64_t got = want - z_.avail_out;
        if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) fail("a compressed variable is corrupt (zlib)");
        if (got == 0 && (rc == Z_STREAM_END || (z_.avail_in == 0 && compressed_left_ == 0)))
            fail("a compressed variable ends before its contents");
        produced_ += got;
        if (produced_ > max_out_) fail("a compressed variable inflates past " + std::to_string(max_out_) + " bytes");
        return got;
    }
    void refill() {
        const std::uint64_t n = std::min<std::uint64_t>(compressed_left_, buffer_.size());
        if (n > 0 && !in_.read(reinterpret_cast<char*>(buffer_.data()), static_cast<std::streamsize>(n)))
            fail("the file ends early");
        compressed_left_ -= n;
        z_.next_in = buffer_.data();
        z_.avail_in = static_cast<uInt>(n);
    }
    std::istream& in_;
    std::uint64_t compressed_left_;
    std::uint64_t max_out_;
    std::uint64_t produced_ = 0;
    z_stream z_{};
    std::array<unsigned char, 65536> buffer_{};
};

struct Tag {
    std::uint32_t type = 0;
    std::uint64_t bytes = 0;  // of data
    std::uint64_t size = 0;   // consumed in all: tag, data, padding
    std::array<unsigned char, 4> small{};
    bool is_small = false;
};

class Walker {
public:
    Walker(bool swapped, const V5Limits& limits) : swapped_(swapped), limits_(limits) {}

    Tag read_tag(Source& s, std::uint64_t left) {
        if (left < 8) fail("an element's tag runs past its array");
        unsigned char b[8];
        s.read(b, 8);
        Tag t;
        const std::uint32_t first = u32(b), second = u32(b + 4);
        t.is_small = (first >> 16) != 0;
        t.type = t.is_small ? (first & 0xffffu) : first;
        t.bytes = t.is_small ? (first >> 16) : second;
        if (t.is_small && t.bytes > 4) fail("a small data element declares " + std::to_string(t.bytes) + " bytes");
        if (t.is_small) std::copy(b + 4, b + 8, t.small.begin());
        if (!t.is_small && t.bytes > left - 8)
            fail("an element of " + std::to_string(t.bytes) + " bytes runs past its array");
        // Padding to 8 bytes follows, except where the array ends first (matio does not pad the last
        // element of a compressed array).
        t.size = t.is_small ? 8 : std::min(left, 8 + ((t.bytes + 7) / 8) * 8);
        return t;
    }

    // Reads a (non-small) element's data into `out` (only small elements: flags, dims, names), checked.
    std::vector<unsigned char> read_data(Source& s, const Tag& t, std::uint64_t max_bytes) {
        if (t.is_small) return std::vector<unsigned char>(t.small.begin(), t.small.begin() + t.bytes);
        if (t.bytes > max_bytes) fail("a header element of " + std::to_string(t.bytes) + " bytes");
        std::vector<unsigned char> data(t.bytes);
        s.read(data.data(), t.bytes);
        s.skip(t.size - 8 - t.bytes);
        return data;
    }

    // One miMATRIX element's contents (`bytes` of them), after its tag.
    void matrix(Source& s, std::uint64_t bytes, int depth) {
        if (++nodes_ > limits_.max_nodes) fail("more than " + std::to_string(limits_.max_nodes) + " arrays");
        if (depth > limits_.max_depth) fail("arrays nested more than " + std::to_string(limits_.max_depth) + " deep");
        if (bytes == 0) return;  // an empty array
        std::uint64_t left = bytes;
        const std::uint32_t flags = u32(element(s, left, miUINT32, 8, 8).data());
        const std::uint32_t cls = flags & 0xffu;
        const bool complex = (flags & 0x800u) != 0;
        const std::uint64_t count = dimensions(s, left);
        element(s, left, miINT8, 0, 4096);  // the name
        if (cls == kCell) {
            children(s, left, count, depth);
        } else if (cls == kStruct || cls == kObject) {
            if (cls == kObject) element(s, left, miINT8, 0, 4096);  // its class name
            const std::vector<unsigned char> length = element(s, left, miINT32, 4, 4);
            const std::uint32_t name_length = u32(length.data());
            if (name_length == 0 || name_length > 4096) fail("a struct's field names are " + std::to_string(name_length) + " bytes long");
            const Tag names = read_tag(s, left);
            if (names.type != miINT8 || names.bytes % name_length != 0) fail("a struct's field names are malformed");
            s.skip(names.size - 8);
            left -= names.size;
            const std::uint64_t fields = names.bytes / name_length;
            if (fields > 0 && count > limits_.max_nodes / fields) fail("a struct declares too many fields and elements");
            children(s, left, count * fields, depth);
        } else if (cls == kChar || (cls >= 6 && cls <= kUint64) || cls == kSparse) {
            if (cls == kSparse) {
                numeric(s, left);  // row indices
                numeric(s, left);  // column starts
                count_checked_numeric(s, left, 0, complex);
            } else {
                count_checked_numeric(s, left, count, complex);
            }
        } else {
            fail("an array of unsupported class " + std::to_string(cls));
        }
        s.skip(left);  // padding or data this walk does not look at
    }

    int top_level(std::istream& in, std::uint64_t size) {
        std::uint64_t pos = 128;
        int count = 0;
        while (pos < size) {
            if (size - pos < 8)
                fail("is truncated: " + std::to_string(size - pos) + " stray bytes after variable " + std::to_string(count));
            FileSource file(in, size - pos);
            const Tag t = read_tag(file, ~0ull);  // its size is checked against the file's just below
            const std::uint64_t end = pos + 8 + t.bytes;
            if (t.is_small || end > size)
                fail("is truncated: variable " + std::to_string(count + 1) + " needs " + std::to_string(t.bytes) +
                     " bytes but the file ends " + std::to_string(size - pos - 8) + " bytes after its start");
            try {
                variable(in, t);
            } catch (const Error& e) {
                throw Error("variable " + std::to_string(count + 1) + ": " + e.what());
            }
            pos = end;
            if (!in.seekg(static_cast<std::streamoff>(pos))) fail("the file ends early");
            ++count;
        }
        return count;
    }

private:
    void variable(std::istream& in, const Tag& t) {
        if (t.type == miMATRIX) {
            FileSource body(in, t.bytes);
            matrix(body, t.bytes, 0);
        } else if (t.type == miCOMPRESSED) {
            InflateSource body(in, t.bytes, limits_.max_inflated_bytes);
            const Tag inner = read_tag(body, ~0ull);
            if (inner.type != miMATRIX) fail("a compressed element holds no array");
            matrix(body, inner.bytes, 0);
        } else {
            fail("an element of type " + std::to_string(t.type) + " where an array was expected");
        }
    }

    std::vector<unsigned char> element(Source& s, std::uint64_t& left, std::uint32_t type, std::uint64_t min_bytes,
                                       std::uint64_t max_bytes) {
        const Tag t = read_tag(s, left);
        if (t.type != type || t.bytes < min_bytes) fail("an array header is malformed");
        left -= t.size;
        return read_data(s, t, max_bytes);
    }

    std::uint64_t dimensions(Source& s, std::uint64_t& left) {
        const std::vector<unsigned char> d = element(s, left, miINT32, 8, 256);
        std::uint64_t count = 1;
        for (std::size_t i = 0; i + 4 <= d.size(); i += 4) {
            const std::int32_t n = static_cast<std::int32_t>(u32(d.data() + i));
            if (n < 0) fail("an array has a negative dimension");
            if (n > 0 && count > (1ull << 40) / std::uint64_t(n)) fail("an array declares more than 2^40 elements");
            count *= std::uint64_t(n);
        }
        return count;
    }

    void children(Source& s, std::uint64_t& left, std::uint64_t count, int depth) {
        if (count > left / 8) fail("a cell or struct declares " + std::to_string(count) + " elements but has room for " + std::to_string(left / 8));
        for (std::uint64_t i = 0; i < count; ++i) {
            const Tag t = read_tag(s, left);
            if (t.type != miMATRIX || t.is_small) fail("a cell or struct element is not an array");
            left -= 8;
            if (t.bytes > left) fail("a cell or struct element runs past its parent");
            matrix(s, t.bytes, depth + 1);
            left -= t.bytes;
        }
    }

    // A numeric element: any numeric type; returns its element count.
    std::uint64_t numeric(Source& s, std::uint64_t& left) {
        const Tag t = read_tag(s, left);
        const std::uint32_t unit = type_size(t.type);
        if (unit == 0) fail("array data of unknown type " + std::to_string(t.type));
        s.skip(t.size - 8);
        left -= t.size;
        return t.bytes / (unit == 0 ? 1 : unit);
    }

    void count_checked_numeric(Source& s, std::uint64_t& left, std::uint64_t count, bool complex) {
        for (int part = 0; part < (complex ? 2 : 1); ++part) {
            const std::uint64_t have = numeric(s, left);
            if (have < count)
                fail("an array declares " + std::to_string(count) + " elements but stores " + std::to_string(have));
        }
    }

    std::uint32_t u32(const unsigned char* p) const {
        const std::uint32_t v = std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 |
                                std::uint32_t(p[3]) << 24;
        return swapped_ ? ((v >> 24) | ((v >> 8) & 0xff00u) | ((v << 8) & 0xff0000u) | (v << 24)) : v;
    }

    bool swapped_;
    V5Limits limits_;
    std::uint64_t nodes_ = 0;
};

}  // namespace

int check_v5_structure(std::istream& in, std::uint64_t size, bool swapped, const V5Limits& limits) {
    return Walker(swapped, limits).top_level(in, size);
}

}  // namespace nst::mat
