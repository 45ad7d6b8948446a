// The parameters of libnst's ops that its public interfaces name: the layer shapes of ResNet-50's table
// (nst/resnet.hpp), the transfer's pooling mode and Adam's constants (nst/options.hpp). The ops themselves
// are private to libnst.
#pragma once

#include <cstddef>

namespace nst {

// A 2-D convolution of a batch x in_channels x height x width input with out_channels filters of kernel x
// kernel, stride `stride` and `pad` zeros on every side (VGG's: 3, 1, 1, which keeps the size; ResNet's also
// 7x7/2/3 and 1x1/1 or 2/0).
struct ConvShape {
    int batch = 1;
    int in_channels = 0;
    int out_channels = 0;
    int height = 0;
    int width = 0;
    int kernel = 3;
    int stride = 1;
    int pad = 1;
    int out_height() const noexcept { return (height + 2 * pad - kernel) / stride + 1; }
    int out_width() const noexcept { return (width + 2 * pad - kernel) / stride + 1; }
    std::size_t in_size() const noexcept { return std::size_t(batch) * in_channels * height * width; }
    std::size_t out_size() const noexcept { return std::size_t(batch) * out_channels * out_height() * out_width(); }
    std::size_t filter_size() const noexcept { return std::size_t(out_channels) * in_channels * kernel * kernel; }
};

enum class PoolMode { Average, Max };

// Max pooling of a window x window region, stride `stride`, `pad` on every side, padding excluded from the
// maximum (on non-negative inputs, such as a ReLU's output, the same as Keras's ZeroPadding2D + MaxPooling2D:
// ResNet-50's 3x3/2 with pad 1).
struct MaxPoolShape {
    int batch = 1;
    int channels = 0;
    int height = 0;
    int width = 0;
    int window = 3;
    int stride = 2;
    int pad = 1;
    int out_height() const noexcept { return (height + 2 * pad - window) / stride + 1; }
    int out_width() const noexcept { return (width + 2 * pad - window) / stride + 1; }
    std::size_t in_size() const noexcept { return std::size_t(batch) * channels * height * width; }
    std::size_t out_size() const noexcept { return std::size_t(batch) * channels * out_height() * out_width(); }
};

// Adam's update. Both follow m = b1 m + (1-b1) g, v = b2 v + (1-b2) g², and differ only in where epsilon
// goes:
//   TensorFlow1 (tf.train.AdamOptimizer, the notebook): x -= lr sqrt(1-b2^t)/(1-b1^t) * m / (sqrt(v) + eps)
//   PyTorch (torch.optim.Adam):                         x -= lr * m̂ / (sqrt(v̂) + eps), m̂ = m/(1-b1^t), v̂ = v/(1-b2^t)
enum class AdamFlavor { TensorFlow1, PyTorch };
struct AdamParams {
    float lr = 2.0f;
    float beta1 = 0.9f;
    float beta2 = 0.999f;
    float eps = 1e-8f;
    AdamFlavor flavor = AdamFlavor::TensorFlow1;
};

}  // namespace nst
