// Decoding and encoding images in memory, one codec per format, each refusing a declared size before it
// allocates for it: JPEG (libjpeg-turbo), PNG (libpng), BMP and TGA (stb_image, behind libnst's own header
// checks). Failures throw nst::Error "image '<path>': <what>". Private to libnst.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nst/image.hpp"

namespace nst::codec {

using Bytes = std::vector<unsigned char>;

// The largest side libnst decodes (a bound on what a hostile header can make it allocate; outputs, resized
// and encoded by libnst itself, go up to nst::kMaxImageSide).
constexpr int kMaxSide = 16384;

// nst::Error unless 1 <= width, height <= kMaxSide and the file holds at least `min_bytes` (the least any
// encoder could use for that many pixels: a smaller file cannot be a valid image of that size).
void check_declared_size(const std::string& path, const char* format, std::int64_t width, std::int64_t height,
                         std::uint64_t min_bytes, std::size_t file_bytes);

Image decode_jpeg(const Bytes& file, const std::string& path);
Image decode_png(const Bytes& file, const std::string& path);
Image decode_bmp(const Bytes& file, const std::string& path);
Image decode_tga(const Bytes& file, const std::string& path);

Bytes encode_jpeg(const Image& image, int quality, const std::string& path);
Bytes encode_png(const Image& image, const std::string& path);

}  // namespace nst::codec
