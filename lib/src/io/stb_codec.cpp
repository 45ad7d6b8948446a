// BMP and TGA through stb_image, which libnst compiles with only those two decoders (third_party/stb_impl.cpp).
// stb trusts headers more than a hostile file deserves (abs(INT_MIN) on a BMP height; header-only files
// decoded as black images), so each header is checked here first: the sizes, and that the file holds the
// pixels it declares.
#include <stb_image.h>

#include <cstdint>
#include <limits>
#include <memory>

#include "io/image_codecs.hpp"
#include "nst/error.hpp"

namespace nst::codec {

namespace {

std::uint32_t u16(const Bytes& b, std::size_t at) { return b[at] | std::uint32_t(b[at + 1]) << 8; }
std::uint32_t u32(const Bytes& b, std::size_t at) { return u16(b, at) | u16(b, at + 2) << 16; }

[[noreturn]] void fail(const std::string& path, const std::string& what) {
    throw Error("image '" + path + "': " + what);
}

Image decode_with_stb(const Bytes& file, const std::string& path, const char* format) {
    int w = 0, h = 0, channels = 0;
    std::unique_ptr<stbi_uc, void (*)(void*)> pixels(
        stbi_load_from_memory(file.data(), static_cast<int>(file.size()), &w, &h, &channels, 3), stbi_image_free);
    if (!pixels) {
        const char* why = stbi_failure_reason();
        fail(path, std::string("cannot be decoded as ") + format + " (" + (why ? why : "unknown reason") + ")");
    }
    Image image;
    image.width = w;
    image.height = h;
    image.rgb.assign(pixels.get(), pixels.get() + std::size_t(w) * std::size_t(h) * 3);
    return image;
}

}  // namespace

Image decode_bmp(const Bytes& file, const std::string& path) {
    if (file.size() < 26) fail(path, "BMP file of " + std::to_string(file.size()) + " bytes is shorter than its header");
    const std::uint32_t offset = u32(file, 10), header = u32(file, 14);
    std::int64_t w = 0, h = 0;
    std::uint32_t bpp = 0, compression = 0;
    if (header == 12) {  // OS/2 BITMAPCOREHEADER
        w = u16(file, 18);
        h = u16(file, 20);
        bpp = u16(file, 24);
    } else if (header >= 40 && file.size() >= 34) {
        w = static_cast<std::int32_t>(u32(file, 18));
        h = static_cast<std::int32_t>(u32(file, 22));  // negative: rows stored top-down
        bpp = u16(file, 28);
        compression = u32(file, 30);
    } else {
        fail(path, "BMP header of " + std::to_string(header) + " bytes is not one libnst reads");
    }
    if (h < 0) h = -h;  // in int64: INT_MIN's magnitude fits
    if (bpp != 1 && bpp != 4 && bpp != 8 && bpp != 16 && bpp != 24 && bpp != 32)
        fail(path, "BMP with " + std::to_string(bpp) + " bits per pixel");
    if (compression != 0 && compression != 3)
        fail(path, "compressed (RLE) BMP files are not supported; save it uncompressed or as PNG");
    const std::uint64_t row = (std::uint64_t(w > 0 ? w : 0) * bpp + 31) / 32 * 4;
    check_declared_size(path, "BMP", w, h, std::uint64_t(offset) + row * std::uint64_t(h), file.size());
    return decode_with_stb(file, path, "BMP");
}

Image decode_tga(const Bytes& file, const std::string& path) {
    if (file.size() < 18) fail(path, "TGA file of " + std::to_string(file.size()) + " bytes is shorter than its header");
    const unsigned id_length = file[0], colormap = file[1], type = file[2], entry_bits = file[7], bpp = file[16];
    const std::uint64_t colormap_bytes = colormap == 1 ? u16(file, 5) * ((entry_bits + 7) / 8) : 0;
    const bool rle = type == 9 || type == 10 || type == 11;
    if (colormap > 1 || !(rle || type == 1 || type == 2 || type == 3))
        fail(path, "not a TGA file libnst reads (colour map type " + std::to_string(colormap) + ", image type " +
                       std::to_string(type) + ")");
    if (bpp != 8 && bpp != 15 && bpp != 16 && bpp != 24 && bpp != 32)
        fail(path, "TGA with " + std::to_string(bpp) + " bits per pixel");
    const std::uint64_t w = u16(file, 12), h = u16(file, 14), n = w * h;
    // Uncompressed: every pixel's bytes; RLE: a packet (header + one pixel, 2 bytes at least) per 128 pixels.
    const std::uint64_t data = rle ? 2 * ((n + 127) / 128) : n * ((bpp + 7) / 8);
    check_declared_size(path, "TGA", std::int64_t(w), std::int64_t(h), 18 + id_length + colormap_bytes + data,
                        file.size());
    return decode_with_stb(file, path, "TGA");
}

}  // namespace nst::codec
