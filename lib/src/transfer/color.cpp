// Colour control: luminance-only transfer (--preserve-colors) and colour histogram matching of the style
// image to the content (--color-match), as in Gatys et al., "Preserving color in neural artistic style
// transfer" (2016). Host-side: they touch each pixel once.
#include <algorithm>
#include <array>
#include <cmath>

#include "nst/error.hpp"
#include "nst/image.hpp"

namespace nst {

namespace {

std::uint8_t to_byte(double v) {
    return static_cast<std::uint8_t>(std::clamp(std::floor(v + 0.5), 0.0, 255.0));
}

using Mat3 = std::array<std::array<double, 3>, 3>;

// Lower-triangular L with L Lᵀ = a (a symmetric positive definite; a small ridge keeps flat images valid).
Mat3 cholesky(Mat3 a) {
    for (int i = 0; i < 3; ++i) a[i][i] += 1e-3;
    Mat3 l{};
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j <= i; ++j) {
            double s = a[i][j];
            for (int k = 0; k < j; ++k) s -= l[i][k] * l[j][k];
            l[i][j] = i == j ? std::sqrt(std::max(s, 1e-12)) : s / l[j][j];
        }
    return l;
}

// Inverse of a lower-triangular matrix.
Mat3 invert_lower(const Mat3& l) {
    Mat3 inv{};
    for (int i = 0; i < 3; ++i) {
        inv[i][i] = 1.0 / l[i][i];
        for (int j = 0; j < i; ++j) {
            double s = 0.0;
            for (int k = j; k < i; ++k) s -= l[i][k] * inv[k][j];
            inv[i][j] = s / l[i][i];
        }
    }
    return inv;
}

void statistics(const Image& im, std::array<double, 3>& mean, Mat3& cov) {
    const std::size_t n = std::size_t(im.width) * im.height;
    mean = {0, 0, 0};
    cov = {};
    for (std::size_t p = 0; p < n; ++p)
        for (int c = 0; c < 3; ++c) mean[c] += im.rgb[p * 3 + c];
    for (double& m : mean) m /= static_cast<double>(n);
    for (std::size_t p = 0; p < n; ++p)
        for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 3; ++j) cov[i][j] += (im.rgb[p * 3 + i] - mean[i]) * (im.rgb[p * 3 + j] - mean[j]);
    for (auto& row : cov)
        for (double& v : row) v /= static_cast<double>(n);
}

void check(const Image& im, const char* what) {
    if (im.width < 1 || im.height < 1 || im.rgb.size() != std::size_t(im.width) * im.height * 3)
        throw Error(std::string(what) + ": no image");
}

}  // namespace

Image preserve_colors(const Image& result, const Image& content) {
    check(result, "preserve_colors");
    check(content, "preserve_colors");
    const Image c = resize_image(content, result.width, result.height);
    Image out = result;
    const std::size_t n = std::size_t(result.width) * result.height;
    for (std::size_t p = 0; p < n; ++p) {
        const std::uint8_t* r = &result.rgb[p * 3];
        const std::uint8_t* k = &c.rgb[p * 3];
        const double y = 0.299 * r[0] + 0.587 * r[1] + 0.114 * r[2];
        const double cb = 128.0 - 0.168736 * k[0] - 0.331264 * k[1] + 0.5 * k[2];
        const double cr = 128.0 + 0.5 * k[0] - 0.418688 * k[1] - 0.081312 * k[2];
        out.rgb[p * 3 + 0] = to_byte(y + 1.402 * (cr - 128.0));
        out.rgb[p * 3 + 1] = to_byte(y - 0.344136 * (cb - 128.0) - 0.714136 * (cr - 128.0));
        out.rgb[p * 3 + 2] = to_byte(y + 1.772 * (cb - 128.0));
    }
    return out;
}

Image match_colors(const Image& style, const Image& content) {
    check(style, "match_colors");
    check(content, "match_colors");
    std::array<double, 3> ms, mc;
    Mat3 cs, cc;
    statistics(style, ms, cs);
    statistics(content, mc, cc);
    const Mat3 lc = cholesky(cc), ls_inv = invert_lower(cholesky(cs));
    Mat3 a{};  // L_c · L_s⁻¹
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j)
            for (int k = 0; k < 3; ++k) a[i][j] += lc[i][k] * ls_inv[k][j];
    Image out = style;
    const std::size_t n = std::size_t(style.width) * style.height;
    for (std::size_t p = 0; p < n; ++p) {
        const double d[3] = {style.rgb[p * 3] - ms[0], style.rgb[p * 3 + 1] - ms[1], style.rgb[p * 3 + 2] - ms[2]};
        for (int i = 0; i < 3; ++i)
            out.rgb[p * 3 + i] = to_byte(a[i][0] * d[0] + a[i][1] * d[1] + a[i][2] * d[2] + mc[i]);
    }
    return out;
}

}  // namespace nst
