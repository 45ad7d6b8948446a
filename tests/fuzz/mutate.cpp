#include "mutate.hpp"

#include <zlib.h>

#include <algorithm>
#include <array>

namespace nst::fuzz {

namespace {

std::size_t pick(std::mt19937_64& rng, std::size_t n) {  // 0 .. n-1 (n > 0)
    return static_cast<std::size_t>(rng() % n);
}

// Damage at the byte level. Offsets favour the first 256 bytes, where every format keeps its header.
void damage(Bytes& b, std::mt19937_64& rng, std::string* kind) {
    static constexpr std::array<std::uint32_t, 10> extremes = {0u,          1u,          0xFFFFFFFFu, 0x7FFFFFFFu,
                                                               0x80000000u, 0xFFFFFFFEu, 1u << 30,    65535u,
                                                               65536u,      16385u};
    if (b.empty()) b.push_back(0);
    auto offset = [&] { return (rng() % 2 == 0) ? pick(rng, std::min<std::size_t>(b.size(), 256)) : pick(rng, b.size()); };
    switch (pick(rng, 7)) {
        case 0:
            for (std::size_t i = 0, n = 1 + pick(rng, 8); i < n; ++i) b[offset()] ^= static_cast<unsigned char>(1u << pick(rng, 8));
            *kind = "bits";
            break;
        case 1:
            for (std::size_t i = 0, n = 1 + pick(rng, 4); i < n; ++i) b[offset()] = static_cast<unsigned char>(rng());
            *kind = "bytes";
            break;
        case 2: {
            const std::size_t at = offset();
            b[at] = static_cast<unsigned char>(rng());
            if (at + 1 < b.size()) b[at + 1] = static_cast<unsigned char>(rng());
            *kind = "pair";
            break;
        }
        case 3: {
            const std::uint32_t v = extremes[pick(rng, extremes.size())];
            const std::size_t at = offset() & ~std::size_t(3);
            const bool big_endian = rng() % 2 == 0;  // JPEG and PNG headers are big-endian
            for (std::size_t i = 0; i < 4 && at + i < b.size(); ++i)
                b[at + i] = static_cast<unsigned char>(v >> (8 * (big_endian ? 3 - i : i)));
            *kind = "word";
            break;
        }
        case 4:
            b.resize(pick(rng, b.size()));
            *kind = "truncate";
            break;
        case 5: {
            const std::size_t from = pick(rng, b.size()), len = 1 + pick(rng, std::min<std::size_t>(b.size() - from, 4096));
            const Bytes chunk(b.begin() + std::ptrdiff_t(from), b.begin() + std::ptrdiff_t(from + len));
            b.insert(b.begin() + std::ptrdiff_t(pick(rng, b.size())), chunk.begin(), chunk.end());
            *kind = "duplicate";
            break;
        }
        default: {
            const std::size_t from = pick(rng, b.size()), len = 1 + pick(rng, std::min<std::size_t>(b.size() - from, 4096));
            b.erase(b.begin() + std::ptrdiff_t(from), b.begin() + std::ptrdiff_t(from + len));
            *kind = "delete";
        }
    }
}

bool inflate_all(const unsigned char* in, std::size_t n, Bytes* out) {
    z_stream z{};
    if (inflateInit(&z) != Z_OK) return false;
    z.next_in = const_cast<unsigned char*>(in);
    z.avail_in = static_cast<uInt>(n);
    std::array<unsigned char, 65536> buffer{};
    int rc = Z_OK;
    while (rc == Z_OK && out->size() < (64u << 20)) {
        z.next_out = buffer.data();
        z.avail_out = buffer.size();
        rc = inflate(&z, Z_NO_FLUSH);
        out->insert(out->end(), buffer.data(), buffer.data() + (buffer.size() - z.avail_out));
    }
    inflateEnd(&z);
    return rc == Z_STREAM_END;
}

// The offsets of a MAT v5 file's compressed variables (tag at `offset`, `bytes` of zlib after it).
std::vector<std::pair<std::size_t, std::size_t>> compressed_variables(const Bytes& b) {
    std::vector<std::pair<std::size_t, std::size_t>> found;
    for (std::size_t pos = 128; pos + 8 <= b.size();) {
        const std::uint32_t type = b[pos] | b[pos + 1] << 8 | b[pos + 2] << 16 | std::uint32_t(b[pos + 3]) << 24;
        const std::size_t bytes = b[pos + 4] | b[pos + 5] << 8 | b[pos + 6] << 16 | std::size_t(b[pos + 7]) << 24;
        if (pos + 8 + bytes > b.size()) break;
        if (type == 15) found.emplace_back(pos, bytes);
        pos += 8 + bytes;
    }
    return found;
}

// Damage inside a compressed variable: inflate, damage, deflate, splice back with the new length.
bool damage_inside(Bytes& b, std::mt19937_64& rng, std::string* kind) {
    const auto vars = compressed_variables(b);
    if (vars.empty()) return false;
    const auto [pos, bytes] = vars[pick(rng, vars.size())];
    Bytes plain;
    if (!inflate_all(b.data() + pos + 8, bytes, &plain)) return false;
    damage(plain, rng, kind);
    Bytes packed(compressBound(plain.size()));
    uLongf size = packed.size();
    if (compress(packed.data(), &size, plain.data(), plain.size()) != Z_OK) return false;
    packed.resize(size);
    for (int i = 0; i < 4; ++i) b[pos + 4 + std::size_t(i)] = static_cast<unsigned char>(size >> (8 * i));
    b.erase(b.begin() + std::ptrdiff_t(pos + 8), b.begin() + std::ptrdiff_t(pos + 8 + bytes));
    b.insert(b.begin() + std::ptrdiff_t(pos + 8), packed.begin(), packed.end());
    *kind = "inflated-" + *kind;
    return true;
}

}  // namespace

Bytes mutate(const Bytes& seed, std::mt19937_64& rng, bool mat_file, std::string* kind) {
    Bytes b = seed;
    if (mat_file && rng() % 2 == 0 && damage_inside(b, rng, kind)) return b;
    damage(b, rng, kind);
    return b;
}

}  // namespace nst::fuzz
