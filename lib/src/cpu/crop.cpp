// CPU crop and its adjoint: shared/crop.hpp's index map, the CUDA kernel's.
#include "cpu_backend.hpp"
#include "core/shape_checks.hpp"
#include "shared/crop.hpp"

namespace nst::cpu {

void CpuBackend::crop_forward(int channels, int height, int width, const CropWindow& window, const float* x, float* y) {
    check_crop_window(channels, height, width, window);
    const auto n =
        static_cast<std::int64_t>(std::size_t(channels) * std::size_t(window.height) * std::size_t(window.width));
#pragma omp parallel for num_threads(threads()) schedule(static)
    for (std::int64_t i = 0; i < n; ++i) y[i] = x[shared::crop_source(std::size_t(i), height, width, window)];
}

void CpuBackend::crop_backward(int channels, int height, int width, const CropWindow& window, const float* dy,
                               float* dx) {
    check_crop_window(channels, height, width, window);
    const auto n =
        static_cast<std::int64_t>(std::size_t(channels) * std::size_t(window.height) * std::size_t(window.width));
#pragma omp parallel for num_threads(threads()) schedule(static)
    for (std::int64_t i = 0; i < n; ++i) dx[shared::crop_source(std::size_t(i), height, width, window)] += dy[i];
}

}  // namespace nst::cpu
