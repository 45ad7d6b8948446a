// CPU image ops: shared/image.hpp's per-element conversions and noise, the ones the CUDA kernels run, so
// both backends give bit-identical tensors and bytes.
#include "cpu_backend.hpp"
#include "shared/image.hpp"

namespace nst::cpu {

void CpuBackend::image_to_tensor(const std::uint8_t* rgb, int height, int width, const float mean[3], float* x) {
    const std::int64_t plane = static_cast<std::int64_t>(height) * width;
#pragma omp parallel for num_threads(threads_) schedule(static)
    for (std::int64_t i = 0; i < plane; ++i)
        for (int c = 0; c < 3; ++c) x[c * plane + i] = shared::pixel_to_value(rgb[i * 3 + c], mean[c]);
}

void CpuBackend::tensor_to_image(const float* x, int height, int width, const float mean[3], std::uint8_t* rgb) {
    const std::int64_t plane = static_cast<std::int64_t>(height) * width;
#pragma omp parallel for num_threads(threads_) schedule(static)
    for (std::int64_t i = 0; i < plane; ++i)
        for (int c = 0; c < 3; ++c) rgb[i * 3 + c] = shared::value_to_pixel(x[c * plane + i], mean[c]);
}

void CpuBackend::noise_init(const float* content, std::size_t count, std::uint64_t seed, float ratio, float* out) {
    const auto n = static_cast<std::int64_t>(count);
    const double r = ratio;
#pragma omp parallel for num_threads(threads_) schedule(static)
    for (std::int64_t i = 0; i < n; ++i)
        out[i] = shared::noise_value(seed, static_cast<std::size_t>(i), r, content[i]);
}

}  // namespace nst::cpu
