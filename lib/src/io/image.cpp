#include "nst/image.hpp"

#include <stb_image_resize.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>

#include "io/image_codecs.hpp"
#include "io/input_file.hpp"
#include "nst/atomic_file.hpp"
#include "nst/error.hpp"
#include "nst/options.hpp"

namespace nst {

namespace {

using codec::kMaxSide;

std::string lower_extension(const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext;
}

// The largest image file read: a 16384x16384 RGB image stored raw is 805 MB.
constexpr std::uint64_t kMaxImageFileBytes = 1ull << 30;

bool starts_with(const codec::Bytes& b, const char* magic, std::size_t n) {
    return b.size() >= n && std::memcmp(b.data(), magic, n) == 0;
}

// Formats stb or others know that libnst deliberately does not read, by their magic bytes.
const char* unsupported_format(const codec::Bytes& b) {
    if (starts_with(b, "GIF8", 4)) return "GIF";
    if (starts_with(b, "8BPS", 4)) return "PSD";
    if (starts_with(b, "#?RADIANCE", 10) || starts_with(b, "#?RGBE", 6)) return "HDR";
    if (starts_with(b, "\x53\x80\xF6\x34", 4)) return "PIC";
    if (b.size() >= 2 && b[0] == 'P' && b[1] >= '1' && b[1] <= '7') return "PNM";
    if (starts_with(b, "RIFF", 4)) return "WebP/RIFF";
    return nullptr;
}

}  // namespace

namespace codec {

void check_declared_size(const std::string& path, const char* format, std::int64_t width, std::int64_t height,
                         std::uint64_t min_bytes, std::size_t file_bytes) {
    const std::string size = std::to_string(width) + "x" + std::to_string(height);
    if (width < 1 || height < 1) throw Error("image '" + path + "': " + format + " declares an empty image (" + size + ")");
    if (width > kMaxSide || height > kMaxSide)
        throw Error("image '" + path + "': " + format + " declares " + size + ", larger than " + std::to_string(kMaxSide) +
                    " px on a side");
    if (file_bytes < min_bytes)
        throw Error("image '" + path + "': " + format + " declares " + size + " but its " + std::to_string(file_bytes) +
                    " bytes cannot hold that (truncated or corrupt; at least " + std::to_string(min_bytes) + " needed)");
}

}  // namespace codec

Image load_image(const std::string& path) {
    const codec::Bytes file = read_input_file(path, "image", kMaxImageFileBytes);
    if (starts_with(file, "\xFF\xD8\xFF", 3)) return codec::decode_jpeg(file, path);
    if (starts_with(file, "\x89PNG\r\n\x1A\n", 8)) return codec::decode_png(file, path);
    if (starts_with(file, "BM", 2)) return codec::decode_bmp(file, path);
    if (const char* other = unsupported_format(file))
        throw Error("image '" + path + "': cannot be decoded: " + other + " files are not supported; libnst reads JPEG, PNG, BMP and TGA");
    if (lower_extension(path) == ".tga") return codec::decode_tga(file, path);
    throw Error("image '" + path + "': cannot be decoded: not a JPEG, PNG or BMP file (nor named .tga); libnst reads JPEG, PNG, BMP and TGA");
}

Image resize_image(const Image& image, int width, int height) {
    // Outputs up to kMaxImageSide (a tiled transfer's size); files are decoded up to kMaxSide only.
    if (width < 1 || height < 1 || width > kMaxImageSide || height > kMaxImageSide)
        throw Error("image size " + std::to_string(width) + "x" + std::to_string(height) + " (each side must be 1 to " +
                    std::to_string(kMaxImageSide) + ")");
    if (image.width == width && image.height == height) return image;
    Image out;
    out.width = width;
    out.height = height;
    out.rgb.resize(std::size_t(width) * height * 3);
    if (!stbir_resize_uint8(image.rgb.data(), image.width, image.height, 0, out.rgb.data(), width, height, 0, 3))
        throw Error("image resize from " + std::to_string(image.width) + "x" + std::to_string(image.height) + " to " +
                    std::to_string(width) + "x" + std::to_string(height) + " failed");
    return out;
}

void check_output_path(const std::string& path) {
    const std::string ext = lower_extension(path);
    if (ext != ".png" && ext != ".jpg" && ext != ".jpeg")
        throw Error("output '" + path + "': unknown image type '" + ext + "' (use .png, .jpg or .jpeg)");
    check_writable_folder(path);
}

void save_image(const Image& image, const std::string& path) {
    const std::string ext = lower_extension(path);
    if (ext != ".png" && ext != ".jpg" && ext != ".jpeg")
        throw Error("output '" + path + "': unknown image type '" + ext + "' (use .png, .jpg or .jpeg)");
    if (image.width < 1 || image.height < 1 || image.rgb.size() != std::size_t(image.width) * image.height * 3)
        throw Error("output '" + path + "': no image to write");
    const codec::Bytes bytes = ext == ".png" ? codec::encode_png(image, path) : codec::encode_jpeg(image, 95, path);
    write_file_atomically(path, bytes.data(), bytes.size());
}

void fit_longest_side(int width, int height, int longest, int* out_width, int* out_height) {
    if (width >= height) {
        *out_width = longest;
        *out_height = std::max(1, static_cast<int>(std::lround(double(height) * longest / width)));
    } else {
        *out_height = longest;
        *out_width = std::max(1, static_cast<int>(std::lround(double(width) * longest / height)));
    }
}

}  // namespace nst
