// Image conversions and the notebook's noise initialisation on device memory, one thread per pixel or
// element. The per-element formulas are shared/image.hpp's, the ones the CPU backend runs: both backends
// give bit-identical tensors and bytes.
#pragma once

#include <cstddef>
#include <cstdint>

#include "launch.cuh"
#include "shared/image.hpp"

namespace nst::kernels {

struct MeanRgb {
    float c[3];
};

// rgb: H x W x 3 uint8 (interleaved) -> x: 3 x H x W float, minus the mean.
inline void image_to_tensor(const std::uint8_t* rgb, int height, int width, MeanRgb mean, float* x,
                            cudaStream_t stream) {
    const std::size_t plane = static_cast<std::size_t>(height) * width;
    for_each_index(plane, stream, [=] __device__(std::size_t i) {
        for (int c = 0; c < 3; ++c) x[c * plane + i] = shared::pixel_to_value(rgb[i * 3 + c], mean.c[c]);
    });
}

// x + mean, clamped to [0, 255], rounded to nearest -> rgb.
inline void tensor_to_image(const float* x, int height, int width, MeanRgb mean, std::uint8_t* rgb,
                            cudaStream_t stream) {
    const std::size_t plane = static_cast<std::size_t>(height) * width;
    for_each_index(plane, stream, [=] __device__(std::size_t i) {
        for (int c = 0; c < 3; ++c) rgb[i * 3 + c] = shared::value_to_pixel(x[c * plane + i], mean.c[c]);
    });
}

// out[i] = ratio · uniform(−20, 20) + (1 − ratio) · content[i], the noise a pure function of (seed, i).
inline void noise_init(const float* content, std::size_t n, std::uint64_t seed, float ratio, float* out,
                       cudaStream_t stream) {
    const double r = ratio;
    for_each_index(n, stream, [=] __device__(std::size_t i) { out[i] = shared::noise_value(seed, i, r, content[i]); });
}

}  // namespace nst::kernels
