// CPU global average pooling: each (image, channel) mean summed in double in order, as the CUDA kernel does.
#include "cpu_backend.hpp"
#include "core/shape_checks.hpp"

namespace nst::cpu {

void CpuBackend::global_avg_pool_forward(int batch, int channels, std::int64_t pixels, const float* x, float* y) {
    check_plane_shape("global_avg_pool", batch, channels, pixels);
    const std::int64_t planes = std::int64_t(batch) * channels;
#pragma omp parallel for num_threads(threads()) schedule(static)
    for (std::int64_t p = 0; p < planes; ++p) {
        double sum = 0.0;
        for (std::int64_t j = 0; j < pixels; ++j) sum += x[p * pixels + j];
        y[p] = static_cast<float>(sum / static_cast<double>(pixels));
    }
}

void CpuBackend::global_avg_pool_backward(int batch, int channels, std::int64_t pixels, const float* dy, float* dx) {
    check_plane_shape("global_avg_pool", batch, channels, pixels);
    const std::int64_t count = std::int64_t(batch) * channels * pixels;
    const float inv = static_cast<float>(1.0 / static_cast<double>(pixels));
#pragma omp parallel for num_threads(threads()) schedule(static)
    for (std::int64_t i = 0; i < count; ++i) dx[i] = dy[i / pixels] * inv;
}

}  // namespace nst::cpu
