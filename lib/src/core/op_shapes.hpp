// The shapes and parameters of the private ops (core/op_backend.hpp) that no public interface names; the
// public ones are in nst/op_params.hpp. Plain structs: the kernels, the CPU twins and the shared formulas
// include them.
#pragma once

#include <cstddef>

#include "nst/op_params.hpp"

namespace nst {

// A rectangle of a feature map or image: rows [top, top + height), columns [left, left + width).
struct CropWindow {
    int top = 0;
    int left = 0;
    int height = 0;
    int width = 0;
};

// 2x2 pooling, stride 2, TensorFlow 'SAME' padding: the output is ceil(H/2) x ceil(W/2); at an odd edge
// the window is cut off and the average is over the pixels that exist (padding excluded).
struct PoolShape {
    int batch = 1;
    int channels = 0;
    int height = 0;
    int width = 0;
    PoolMode mode = PoolMode::Average;
    int out_height() const noexcept { return (height + 1) / 2; }
    int out_width() const noexcept { return (width + 1) / 2; }
};

// Batch normalisation over a batch x channels x height x width tensor: statistics per channel over the
// batch and the pixels (Keras's BatchNormalization on a channels axis).
struct BatchNormShape {
    int batch = 1;
    int channels = 0;
    int height = 1;
    int width = 1;
    std::size_t plane() const noexcept { return std::size_t(height) * width; }
    std::size_t per_channel() const noexcept { return std::size_t(batch) * plane(); }  // values per statistic
    std::size_t size() const noexcept { return std::size_t(channels) * per_channel(); }
};

// Keras's defaults as ResNet-50 sets them (epsilon 1.001e-5, momentum 0.99); `relu` fuses a ReLU after the
// normalisation (forward: y = max(bn(x), 0); backward: the gradient masked by y > 0).
struct BatchNormParams {
    float epsilon = 1.001e-5f;
    float momentum = 0.99f;
    bool relu = false;
};

}  // namespace nst
