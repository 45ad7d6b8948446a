// CPU 3x3 convolution (pad 1, stride 1): im2col + OpenBLAS SGEMM, in column chunks so the im2col buffer
// stays small (a 512 px conv1_2 would otherwise need 600 MB of columns).
#include <cblas.h>

#include <algorithm>

#include "cpu_backend.hpp"
#include "nst/error.hpp"

namespace nst::cpu {

namespace {

// Column budget of the im2col buffer, in floats (32 MiB).
constexpr std::int64_t kColumnBudget = std::int64_t(8) << 20;

void check_shape(const ConvShape& s) {
    if (s.batch < 1 || s.in_channels < 1 || s.out_channels < 1 || s.height < 1 || s.width < 1)
        throw Error("conv: invalid shape " + std::to_string(s.batch) + "x" + std::to_string(s.in_channels) + "x" +
                    std::to_string(s.height) + "x" + std::to_string(s.width) + " -> " + std::to_string(s.out_channels));
}

// cols[k][j - begin] for k = ci*9 + kr*3 + kc and pixel j in [begin, end): x[ci][h+kr-1][w+kc-1] or 0.
void im2col(const float* x, int channels, int height, int width, std::int64_t begin, std::int64_t end, float* cols,
            int threads) {
    const std::int64_t span = end - begin;
    const std::int64_t plane = static_cast<std::int64_t>(height) * width;
#pragma omp parallel for num_threads(threads) schedule(static)
    for (std::int64_t k = 0; k < std::int64_t(channels) * 9; ++k) {
        const std::int64_t ci = k / 9;
        const int kr = static_cast<int>(k % 9) / 3, kc = static_cast<int>(k % 3);
        const float* xc = x + ci * plane;
        float* out = cols + k * span;
        for (std::int64_t j = begin; j < end; ++j) {
            const int h = static_cast<int>(j / width) + kr - 1;
            const int w = static_cast<int>(j % width) + kc - 1;
            out[j - begin] = (h >= 0 && h < height && w >= 0 && w < width) ? xc[std::int64_t(h) * width + w] : 0.0f;
        }
    }
}

}  // namespace

std::int64_t CpuBackend::conv_chunk(const ConvShape& s) const {
    const std::int64_t pixels = static_cast<std::int64_t>(s.height) * s.width;
    const std::int64_t k = std::int64_t(s.in_channels) * 9;
    return std::min(pixels, std::max<std::int64_t>(256, kColumnBudget / k));
}

void CpuBackend::prepare_conv(const ConvShape& shape) {
    check_shape(shape);
    workspace(static_cast<std::size_t>(conv_chunk(shape) * shape.in_channels * 9));
}

void CpuBackend::conv_forward(const ConvShape& s, const float* x, const float* w, const float* b, float* y, bool relu) {
    check_shape(s);
    const std::int64_t pixels = static_cast<std::int64_t>(s.height) * s.width;
    const std::int64_t k = std::int64_t(s.in_channels) * 9;
    const std::int64_t chunk = conv_chunk(s);
    float* cols = workspace(static_cast<std::size_t>(chunk * k));
    for (int n = 0; n < s.batch; ++n) {
        const float* xn = x + std::int64_t(n) * s.in_channels * pixels;
        float* yn = y + std::int64_t(n) * s.out_channels * pixels;
        for (std::int64_t begin = 0; begin < pixels; begin += chunk) {
            const std::int64_t span = std::min(chunk, pixels - begin);
            im2col(xn, s.in_channels, s.height, s.width, begin, begin + span, cols, threads());
            // y[:, begin:begin+span] = W (out x k) * cols (k x span)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, s.out_channels, static_cast<int>(span),
                        static_cast<int>(k), 1.0f, w, static_cast<int>(k), cols, static_cast<int>(span), 0.0f,
                        yn + begin, static_cast<int>(pixels));
        }
#pragma omp parallel for num_threads(threads()) schedule(static)
        for (int o = 0; o < s.out_channels; ++o) {
            float* row = yn + std::int64_t(o) * pixels;
            const float bias = b[o];
            if (relu) {
                for (std::int64_t j = 0; j < pixels; ++j) row[j] = std::max(row[j] + bias, 0.0f);
            } else {
                for (std::int64_t j = 0; j < pixels; ++j) row[j] += bias;
            }
        }
    }
}

void CpuBackend::conv_backward_data(const ConvShape& s, const float* w, const float* dy, float* dx) {
    check_shape(s);
    const std::int64_t pixels = static_cast<std::int64_t>(s.height) * s.width;
    const std::int64_t k = std::int64_t(s.in_channels) * 9;
    const std::int64_t chunk = conv_chunk(s);
    float* dcols = workspace(static_cast<std::size_t>(chunk * k));
    const int H = s.height, W = s.width;
    for (int n = 0; n < s.batch; ++n) {
        const float* dyn = dy + std::int64_t(n) * s.out_channels * pixels;
        float* dxn = dx + std::int64_t(n) * s.in_channels * pixels;
        std::fill(dxn, dxn + s.in_channels * pixels, 0.0f);
        for (std::int64_t begin = 0; begin < pixels; begin += chunk) {
            const std::int64_t span = std::min(chunk, pixels - begin);
            // dcols (k x span) = Wᵀ (k x out) * dy[:, begin:begin+span]
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, static_cast<int>(k), static_cast<int>(span),
                        s.out_channels, 1.0f, w, static_cast<int>(k), dyn + begin, static_cast<int>(pixels), 0.0f,
                        dcols, static_cast<int>(span));
            // col2im: output pixel j took x[ci][h+kr-1][w+kc-1] as column k; send dcols back there. Each
            // input channel is written by one thread only.
#pragma omp parallel for num_threads(threads()) schedule(static)
            for (int ci = 0; ci < s.in_channels; ++ci) {
                float* dxc = dxn + std::int64_t(ci) * pixels;
                for (int kk = 0; kk < 9; ++kk) {
                    const int kr = kk / 3, kc = kk % 3;
                    const float* col = dcols + (std::int64_t(ci) * 9 + kk) * span;
                    for (std::int64_t j = begin; j < begin + span; ++j) {
                        const int h = static_cast<int>(j / W) + kr - 1;
                        const int ww = static_cast<int>(j % W) + kc - 1;
                        if (h >= 0 && h < H && ww >= 0 && ww < W) dxc[std::int64_t(h) * W + ww] += col[j - begin];
                    }
                }
            }
        }
    }
}

}  // namespace nst::cpu
