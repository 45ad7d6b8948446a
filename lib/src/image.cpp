#include "nst/image.hpp"

#include <stb_image.h>
#include <stb_image_resize.h>
#include <stb_image_write.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <memory>

#include "nst/atomic_file.hpp"
#include "nst/error.hpp"

namespace nst {

namespace {

std::string lower_extension(const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext;
}

// The largest side libnst accepts: 16384 px (a 16384x16384 VGG-19 pass would need hundreds of GB anyway).
constexpr int kMaxSide = 16384;

}  // namespace

Image load_image(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) throw Error("image '" + path + "': no such file");
    if (std::filesystem::is_directory(path, ec)) throw Error("image '" + path + "': is a folder, not an image");
    int w = 0, h = 0, channels = 0;
    std::unique_ptr<stbi_uc, void (*)(void*)> pixels(stbi_load(path.c_str(), &w, &h, &channels, 3), stbi_image_free);
    if (!pixels) {
        const char* why = stbi_failure_reason();
        throw Error("image '" + path + "': cannot be decoded (" + (why ? why : "unknown reason") +
                    "); libnst reads JPEG, PNG, BMP and TGA");
    }
    if (w > kMaxSide || h > kMaxSide)
        throw Error("image '" + path + "': " + std::to_string(w) + "x" + std::to_string(h) + " is larger than " +
                    std::to_string(kMaxSide) + " px on a side");
    Image image;
    image.width = w;
    image.height = h;
    image.rgb.assign(pixels.get(), pixels.get() + std::size_t(w) * h * 3);
    return image;
}

Image resize_image(const Image& image, int width, int height) {
    if (width < 1 || height < 1 || width > kMaxSide || height > kMaxSide)
        throw Error("image size " + std::to_string(width) + "x" + std::to_string(height) + " (each side must be 1 to " +
                    std::to_string(kMaxSide) + ")");
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
    AtomicFile out(path);
    const int ok =
        ext == ".png"
            ? stbi_write_png(out.temp_path().c_str(), image.width, image.height, 3, image.rgb.data(), image.width * 3)
            : stbi_write_jpg(out.temp_path().c_str(), image.width, image.height, 3, image.rgb.data(), 95);
    if (!ok) throw Error("cannot write '" + path + "': " + std::strerror(errno));
    out.commit();
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
