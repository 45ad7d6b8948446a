// PNG through libpng's simplified API (Debian's libpng 1.6, fuzzed by OSS-Fuzz). The header is read first;
// the pixels only after the declared size passed check_declared_size. Alpha is dropped, not composited,
// as libnst always did: the RGB of a transparent pixel is what it stores.
#include <png.h>

#include <cstring>

#include "io/image_codecs.hpp"
#include "nst/error.hpp"

namespace nst::codec {

namespace {

struct PngImage {
    png_image image;
    PngImage() {
        std::memset(&image, 0, sizeof image);
        image.version = PNG_IMAGE_VERSION;
    }
    ~PngImage() { png_image_free(&image); }
    PngImage(const PngImage&) = delete;
    PngImage& operator=(const PngImage&) = delete;
};

}  // namespace

Image decode_png(const Bytes& file, const std::string& path) {
    PngImage png;
    if (!png_image_begin_read_from_memory(&png.image, file.data(), file.size()))
        throw Error("image '" + path + "': cannot be decoded as PNG (" + png.image.message + ")");
    // Deflate never compresses better than 1032:1, and a row holds a filter byte and at least one bit per
    // pixel (1-bit palette or grey).
    const std::uint64_t w = png.image.width, h = png.image.height;
    check_declared_size(path, "PNG", std::int64_t(w), std::int64_t(h), h * (1 + (w + 7) / 8) / 1032, file.size());
    png.image.format = PNG_FORMAT_RGBA;
    const std::size_t pixels = std::size_t(w) * std::size_t(h);
    Image out;
    out.width = static_cast<int>(w);
    out.height = static_cast<int>(h);
    out.rgb.resize(pixels * 4);
    if (!png_image_finish_read(&png.image, nullptr, out.rgb.data(), 0, nullptr))
        throw Error("image '" + path + "': cannot be decoded as PNG (" + png.image.message + ")");
    for (std::size_t i = 0; i < pixels; ++i)  // RGBA -> RGB in place: each write lands at or before its read
        std::memmove(&out.rgb[i * 3], &out.rgb[i * 4], 3);
    out.rgb.resize(pixels * 3);
    return out;
}

Bytes encode_png(const Image& image, const std::string& path) {
    PngImage png;
    png.image.width = static_cast<png_uint_32>(image.width);
    png.image.height = static_cast<png_uint_32>(image.height);
    png.image.format = PNG_FORMAT_RGB;
    png_alloc_size_t size = 0;
    if (!png_image_write_get_memory_size(png.image, size, 0, image.rgb.data(), 0, nullptr))
        throw Error("cannot write '" + path + "': PNG encoder: " + png.image.message);
    Bytes out(size);
    if (!png_image_write_to_memory(&png.image, out.data(), &size, 0, image.rgb.data(), 0, nullptr))
        throw Error("cannot write '" + path + "': PNG encoder: " + png.image.message);
    out.resize(size);
    return out;
}

}  // namespace nst::codec
