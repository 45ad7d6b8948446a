// Total variation's per-pixel terms, written once for both backends. x: planes of H x W, packed; element i
// is at row h, column w of its plane. Both read only x, so any thread may evaluate any element.
#pragma once

#include <cstddef>

#include "host_device.hpp"

namespace nst::shared {

// (x[h][w+1] − x[h][w])² + (x[h+1][w] − x[h][w])², the neighbours that exist, in double.
NST_HOST_DEVICE inline double tv_term(const float* x, std::size_t i, int h, int w, int H, int W) {
    double s = 0.0;
    if (w + 1 < W) {
        const double d = static_cast<double>(x[i + 1]) - static_cast<double>(x[i]);
        s += d * d;
    }
    if (h + 1 < H) {
        const double d = static_cast<double>(x[i + W]) - static_cast<double>(x[i]);
        s += d * d;
    }
    return s;
}

// ∂/∂x[i] of Σ tv_term, halved: the four differences element i takes part in (gather form, so each element's
// gradient is written by one thread only).
NST_HOST_DEVICE inline float tv_half_gradient(const float* x, std::size_t i, int h, int w, int H, int W) {
    const float xi = x[i];
    float g = 0.0f;
    if (w + 1 < W) g -= x[i + 1] - xi;
    if (w > 0) g += xi - x[i - 1];
    if (h + 1 < H) g -= x[i + W] - xi;
    if (h > 0) g += xi - x[i - W];
    return g;
}

// Row and column of element i of planes of H x W.
NST_HOST_DEVICE inline void plane_position(std::size_t i, int H, int W, int* h, int* w) {
    const std::size_t plane = static_cast<std::size_t>(H) * W;
    *h = static_cast<int>((i % plane) / W);
    *w = static_cast<int>(i % W);
}

}  // namespace nst::shared
