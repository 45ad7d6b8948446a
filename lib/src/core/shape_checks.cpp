#include "core/shape_checks.hpp"

#include <string>

#include "nst/error.hpp"

namespace nst {

namespace {

std::string sizes(int n, int c, int h, int w) {
    return std::to_string(n) + "x" + std::to_string(c) + "x" + std::to_string(h) + "x" + std::to_string(w);
}

}  // namespace

void check_conv_shape(const ConvShape& s) {
    if (s.batch < 1 || s.in_channels < 1 || s.out_channels < 1 || s.height < 1 || s.width < 1 || s.kernel < 1 ||
        s.stride < 1 || s.pad < 0 || s.out_height() < 1 || s.out_width() < 1)
        throw Error("conv: invalid shape " + sizes(s.batch, s.in_channels, s.height, s.width) + " -> " +
                    std::to_string(s.out_channels) + " channels, kernel " + std::to_string(s.kernel) + " stride " +
                    std::to_string(s.stride) + " pad " + std::to_string(s.pad));
}

void check_batch_norm_shape(const BatchNormShape& s) {
    if (s.batch < 1 || s.channels < 1 || s.height < 1 || s.width < 1)
        throw Error("batch_norm: invalid shape " + sizes(s.batch, s.channels, s.height, s.width));
}

void check_max_pool_shape(const MaxPoolShape& s) {
    if (s.batch < 1 || s.channels < 1 || s.height < 1 || s.width < 1 || s.window < 1 || s.stride < 1 || s.pad < 0 ||
        s.pad >= s.window || s.out_height() < 1 || s.out_width() < 1)
        throw Error("max_pool: invalid shape " + sizes(s.batch, s.channels, s.height, s.width) + ", window " +
                    std::to_string(s.window) + " stride " + std::to_string(s.stride) + " pad " + std::to_string(s.pad) +
                    " (the padding must be smaller than the window)");
}

void check_matrix_shape(const char* op, int rows, int inputs, int outputs) {
    if (rows < 1 || inputs < 1 || outputs < 1)
        throw Error(std::string(op) + ": invalid shape " + std::to_string(rows) + "x" + std::to_string(inputs) + " -> " +
                    std::to_string(outputs));
}

void check_plane_shape(const char* op, int batch, int channels, std::int64_t pixels) {
    if (batch < 1 || channels < 1 || pixels < 1)
        throw Error(std::string(op) + ": invalid shape " + std::to_string(batch) + "x" + std::to_string(channels) + "x" +
                    std::to_string(pixels));
}

void check_crop_window(int channels, int height, int width, const CropWindow& w) {
    if (channels < 1 || height < 1 || width < 1 || w.height < 1 || w.width < 1 || w.top < 0 || w.left < 0 ||
        w.top > height - w.height || w.left > width - w.width)
        throw Error("crop: window " + std::to_string(w.height) + "x" + std::to_string(w.width) + " at (" +
                    std::to_string(w.top) + ", " + std::to_string(w.left) + ") is not inside " +
                    sizes(1, channels, height, width));
}

}  // namespace nst
