// Warping and the flow-consistency check (nst/video.hpp); the flow itself is optical_flow.cpp's.
#include "nst/video.hpp"

#include <algorithm>
#include <cmath>

#include "nst/error.hpp"

namespace nst {

namespace {

// The value of a height x width field of `stride` interleaved channels at the real position (x, y), channel
// `c`: bilinear between the four nearest samples, positions clamped to the field.
float bilinear(const float* field, int width, int height, int stride, int c, float x, float y) {
    x = std::clamp(x, 0.0f, static_cast<float>(width - 1));
    y = std::clamp(y, 0.0f, static_cast<float>(height - 1));
    const int x0 = static_cast<int>(x), y0 = static_cast<int>(y);
    const int x1 = std::min(x0 + 1, width - 1), y1 = std::min(y0 + 1, height - 1);
    const float fx = x - static_cast<float>(x0), fy = y - static_cast<float>(y0);
    auto at = [&](int xx, int yy) { return field[(std::size_t(yy) * width + xx) * stride + c]; };
    const float top = at(x0, y0) + fx * (at(x1, y0) - at(x0, y0));
    const float bottom = at(x0, y1) + fx * (at(x1, y1) - at(x0, y1));
    return top + fy * (bottom - top);
}

bool inside(float x, float y, int width, int height) {
    return x >= 0.0f && y >= 0.0f && x <= static_cast<float>(width - 1) && y <= static_cast<float>(height - 1);
}

void check_flow(const Flow& flow, const char* what) {
    const std::size_t n = std::size_t(flow.width) * flow.height;
    if (flow.width < 1 || flow.height < 1 || flow.dx.size() != n || flow.dy.size() != n)
        throw Error(std::string(what) + ": a flow field of " + std::to_string(flow.dx.size()) + " and " +
                    std::to_string(flow.dy.size()) + " values for " + std::to_string(flow.width) + "x" +
                    std::to_string(flow.height));
}

}  // namespace

Image warp_image(const Image& image, const Flow& flow, const Image* fill) {
    check_flow(flow, "warp_image");
    for (const Image* im : {&image, fill})
        if (im != nullptr && (im->width != flow.width || im->height != flow.height))
            throw Error("warp_image: a " + std::to_string(im->width) + "x" + std::to_string(im->height) +
                        " image and a " + std::to_string(flow.width) + "x" + std::to_string(flow.height) + " flow");
    const std::vector<float> values(image.rgb.begin(), image.rgb.end());
    Image out{image.width, image.height, std::vector<std::uint8_t>(image.rgb.size())};
    for (int y = 0; y < image.height; ++y)
        for (int x = 0; x < image.width; ++x) {
            const std::size_t p = std::size_t(y) * image.width + x;
            const float sx = static_cast<float>(x) + flow.dx[p], sy = static_cast<float>(y) + flow.dy[p];
            if (fill != nullptr && !inside(sx, sy, image.width, image.height)) {
                std::copy_n(fill->rgb.begin() + static_cast<std::ptrdiff_t>(p * 3), 3,
                            out.rgb.begin() + static_cast<std::ptrdiff_t>(p * 3));
                continue;
            }
            for (int c = 0; c < 3; ++c) {
                const float v = bilinear(values.data(), image.width, image.height, 3, c, sx, sy);
                out.rgb[p * 3 + static_cast<std::size_t>(c)] =
                    static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.0f, 255.0f)));
            }
        }
    return out;
}

std::vector<float> flow_consistency(const Flow& backward, const Flow& forward) {
    check_flow(backward, "flow_consistency");
    check_flow(forward, "flow_consistency");
    if (backward.width != forward.width || backward.height != forward.height)
        throw Error("flow_consistency: the backward and forward flows differ in size");
    const int W = backward.width, H = backward.height;
    std::vector<float> forward_xy(std::size_t(W) * H * 2);
    for (std::size_t p = 0; p < std::size_t(W) * H; ++p) {
        forward_xy[2 * p] = forward.dx[p];
        forward_xy[2 * p + 1] = forward.dy[p];
    }
    std::vector<float> c(std::size_t(W) * H, 1.0f);
    auto u = [&](int x, int y) {
        return backward.dx[std::size_t(std::clamp(y, 0, H - 1)) * W + std::clamp(x, 0, W - 1)];
    };
    auto v = [&](int x, int y) {
        return backward.dy[std::size_t(std::clamp(y, 0, H - 1)) * W + std::clamp(x, 0, W - 1)];
    };
    for (int y = 0; y < H; ++y)
        for (int x = 0; x < W; ++x) {
            const std::size_t p = std::size_t(y) * W + x;
            const float bu = backward.dx[p], bv = backward.dy[p];
            const float sx = static_cast<float>(x) + bu, sy = static_cast<float>(y) + bv;
            // Not in the previous frame at all (it enters at the border): nothing to hold it to.
            if (!inside(sx, sy, W, H)) {
                c[p] = 0.0f;
                continue;
            }
            const float fu = bilinear(forward_xy.data(), W, H, 2, 0, sx, sy),
                        fv = bilinear(forward_xy.data(), W, H, 2, 1, sx, sy);
            const float b2 = bu * bu + bv * bv, f2 = fu * fu + fv * fv;
            const float sum_u = fu + bu, sum_v = fv + bv;
            const bool disoccluded = sum_u * sum_u + sum_v * sum_v > 0.01f * (f2 + b2) + 0.5f;
            // Central differences (one-sided at the border) of the backward flow's components.
            const float ux = 0.5f * (u(x + 1, y) - u(x - 1, y)), uy = 0.5f * (u(x, y + 1) - u(x, y - 1));
            const float vx = 0.5f * (v(x + 1, y) - v(x - 1, y)), vy = 0.5f * (v(x, y + 1) - v(x, y - 1));
            const bool boundary = ux * ux + uy * uy + vx * vx + vy * vy > 0.01f * b2 + 0.002f;
            if (disoccluded || boundary) c[p] = 0.0f;
        }
    return c;
}

}  // namespace nst
