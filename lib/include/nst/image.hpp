// Images in and out: JPEG (libjpeg-turbo), PNG (libpng), BMP and TGA (stb_image) in; PNG or JPEG out by extension;
// resizing with stb_image_resize. Pixels are 8-bit RGB, row-major, interleaved.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nst {

struct Image {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> rgb;  // height x width x 3
};

// nst::Error (one line, naming the file) for a missing, unreadable or corrupt image.
Image load_image(const std::string& path);

// The image at width x height; the same pixels, without resampling, when it already has that size.
Image resize_image(const Image& image, int width, int height);

// Written to a temporary file in the same folder, then renamed: never half a file under `path`.
// PNG for .png, JPEG (quality 95) for .jpg/.jpeg; anything else is nst::Error.
void save_image(const Image& image, const std::string& path);

// Throws nst::Error unless `path` has an extension save_image writes and its folder accepts new files.
void check_output_path(const std::string& path);

// The size whose longer side is `longest`, keeping the aspect ratio (each side at least 1).
void fit_longest_side(int width, int height, int longest, int* out_width, int* out_height);

}  // namespace nst

namespace nst {

// --preserve-colors: the result's luminance with the content's chrominance (YCbCr, JPEG's full-range
// BT.601). The content is resized to the result's size first.
Image preserve_colors(const Image& result, const Image& content);

// --color-match: the style image with its colours moved onto the content's: an affine map of RGB that
// gives it the content's mean and covariance (x' = L_c L_s⁻¹ (x − μ_s) + μ_c, Cholesky factors).
Image match_colors(const Image& style, const Image& content);

}  // namespace nst
