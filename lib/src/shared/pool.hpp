// 2x2/stride-2 pooling with TensorFlow 'SAME' padding, one output or one input at a time, written once for
// both backends. xp: one plane of H x W; outputs ceil(H/2) x ceil(W/2). At an odd edge the window is cut
// off: the average is over the pixels that exist and the maximum over them.
#pragma once

#include <cstddef>

#include "host_device.hpp"

namespace nst::shared {

// The window of output (i, j): rows [2i, h1), columns [2j, w1).
NST_HOST_DEVICE inline int window_end(int start, int size) {
    return start + 2 < size ? start + 2 : size;
}

// Output (i, j) of the plane.
NST_HOST_DEVICE inline float same_pool_output(const float* xp, int H, int W, int i, int j, bool is_max) {
    const int h1 = window_end(2 * i, H), w1 = window_end(2 * j, W);
    float acc = is_max ? xp[static_cast<std::size_t>(2 * i) * W + 2 * j] : 0.0f;
    for (int h = 2 * i; h < h1; ++h)
        for (int w = 2 * j; w < w1; ++w) {
            const float v = xp[static_cast<std::size_t>(h) * W + w];
            acc = is_max ? (v > acc ? v : acc) : acc + v;
        }
    if (!is_max) acc /= static_cast<float>((h1 - 2 * i) * (w1 - 2 * j));
    return acc;
}

// The gradient of input (h, w) from its window's output y and gradient dy. Every input belongs to exactly
// one window (gather form: no two writers). Max: the window's first element (row-major) equal to the
// maximum takes the whole gradient.
NST_HOST_DEVICE inline float same_pool_input_gradient(const float* xp, int H, int W, int h, int w, float y, float dy,
                                                      bool is_max) {
    const int i = h / 2, j = w / 2;
    const int h1 = window_end(2 * i, H), w1 = window_end(2 * j, W);
    if (!is_max) return dy / static_cast<float>((h1 - 2 * i) * (w1 - 2 * j));
    for (int hh = 2 * i; hh < h1; ++hh)
        for (int ww = 2 * j; ww < w1; ++ww)
            if (xp[static_cast<std::size_t>(hh) * W + ww] == y) return hh == h && ww == w ? dy : 0.0f;
    return 0.0f;  // y is not in the window: not the output of this input
}

}  // namespace nst::shared
