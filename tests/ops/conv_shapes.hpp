// The convolution shapes tests/ops/test_conv.cpp runs, and ResNet-50's (from the library's own spec).
#pragma once

#include <vector>

#include "core/op_backend.hpp"
#include "nst/resnet.hpp"
#include "../support/device_kind.hpp"

namespace nst::test {

// {batch, in, out, height, width[, kernel, stride, pad]}
inline const ConvShape kCpuConvShapes[] = {
    {1, 3, 4, 5, 7},                // odd sizes, RGB input
    {2, 2, 5, 4, 3},                // batch 2 (one GEMM over both images)
    {1, 1, 1, 1, 1},                // one pixel, one channel
    {1, 8, 16, 9, 6},               // wider
    {1, 16, 8, 33, 17},             // odd and wide
    {3, 3, 4, 11, 9, 7, 2, 3},      // ResNet's stem: 7x7, stride 2, pad 3, odd sizes
    {2, 6, 5, 7, 8, 1, 2, 0},       // 1x1 stride 2 (the projection shortcut), odd height
    {2, 5, 6, 6, 6, 1, 1, 0},       // 1x1 stride 1
    {1, 3, 2, 8, 7, 3, 2, 1},       // 3x3 stride 2
    {2, 2, 3, 5, 5, 5, 3, 0},       // larger stride than half the kernel, no padding
};

inline const ConvShape kGpuConvShapes[] = {
    {1, 3, 64, 37, 29},             // RGB input, odd sizes
    {1, 1, 1, 1, 1},                // one channel, one pixel
    {2, 16, 32, 17, 9},             // batch 2
    {1, 64, 128, 24, 32},           // VGG-like block boundary
    {1, 1, 8, 5, 3},                // one input channel
    {3, 3, 16, 37, 29, 7, 2, 3},    // 7x7/2 at odd sizes
    {5, 24, 40, 9, 11, 1, 2, 0},    // 1x1/2
    {4, 32, 16, 9, 9, 3, 2, 1},     // 3x3/2
    // VGG-19's own channel counts, where cuDNN's search may pick FFT or Winograd algorithms (other rounding
    // than the CPU's direct sums): conv1_2 at 128 px, conv3_x at 256 px, conv4_2 at 256 px / conv5_1 at 512.
    {1, 64, 64, 128, 128},
    {1, 256, 256, 64, 64},
    {1, 512, 512, 32, 32},
};

// The GPU shapes as run: on the emulated device the three VGG-sized ones keep their channel counts at 4x4 to
// 16x16 pixels (its cuDNN computes by direct loops in double).
inline std::vector<ConvShape> gpu_conv_shapes() {
    std::vector<ConvShape> shapes(std::begin(kGpuConvShapes), std::end(kGpuConvShapes));
    if (emulated_device())
        for (ConvShape& s : shapes)
            if (s.in_channels >= 64) s.height = s.width = s.in_channels >= 512 ? 4 : s.in_channels >= 256 ? 8 : 16;
    return shapes;
}

inline std::vector<ConvShape> resnet50_conv_shapes(int batch) {
    return nst::resnet50_conv_shapes(ResNetConfig{}, batch);
}

}  // namespace nst::test
