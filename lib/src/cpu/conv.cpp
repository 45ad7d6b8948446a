// CPU 3x3 convolution (pad 1, stride 1): im2col + OpenBLAS SGEMM, in chunks of whole image rows so the
// im2col buffer stays small (a 512 px conv1_2 would otherwise need 600 MB of columns).
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

// cols[k][(h - h0) * W + w] for k = ci*9 + kr*3 + kc and rows h in [h0, h1): x[ci][h+kr-1][w+kc-1] or 0.
// Row by row, so each row is one shifted copy (vectorised) instead of a division per element.
void im2col(const float* x, int channels, int height, int width, int h0, int h1, float* cols, int threads) {
    const std::int64_t span = std::int64_t(h1 - h0) * width;
    const std::int64_t plane = static_cast<std::int64_t>(height) * width;
#pragma omp parallel for num_threads(threads) schedule(static)
    for (std::int64_t k = 0; k < std::int64_t(channels) * 9; ++k) {
        const float* xc = x + (k / 9) * plane;
        const int kr = static_cast<int>(k % 9) / 3, kc = static_cast<int>(k % 3);
        float* out = cols + k * span;
        for (int h = h0; h < h1; ++h, out += width) {
            const int hs = h + kr - 1;
            if (hs < 0 || hs >= height) {
                std::fill(out, out + width, 0.0f);
                continue;
            }
            const float* src = xc + std::int64_t(hs) * width;
            // out[w] = src[w + kc - 1]: column kc - 1 to the right, zero where it leaves the row.
            if (kc == 0) {
                out[0] = 0.0f;
                std::copy(src, src + width - 1, out + 1);
            } else if (kc == 1) {
                std::copy(src, src + width, out);
            } else {
                std::copy(src + 1, src + width, out);
                out[width - 1] = 0.0f;
            }
        }
    }
}

// The adjoint of im2col: dx[ci][h+kr-1][w+kc-1] += dcols[k][(h - h0) * W + w]. One thread per input
// channel, so no two threads write the same element.
void col2im_add(const float* dcols, int channels, int height, int width, int h0, int h1, float* dx, int threads) {
    const std::int64_t span = std::int64_t(h1 - h0) * width;
    const std::int64_t plane = static_cast<std::int64_t>(height) * width;
#pragma omp parallel for num_threads(threads) schedule(static)
    for (int ci = 0; ci < channels; ++ci) {
        float* dxc = dx + ci * plane;
        for (int kk = 0; kk < 9; ++kk) {
            const int kr = kk / 3, kc = kk % 3;
            const float* col = dcols + (std::int64_t(ci) * 9 + kk) * span;
            for (int h = h0; h < h1; ++h, col += width) {
                const int hs = h + kr - 1;
                if (hs < 0 || hs >= height) continue;
                float* dst = dxc + std::int64_t(hs) * width;
                const int w_begin = kc == 0 ? 1 : 0, w_end = kc == 2 ? width - 1 : width;
                for (int w = w_begin; w < w_end; ++w) dst[w + kc - 1] += col[w];
            }
        }
    }
}

}  // namespace

// Rows of the image per GEMM, so that the column buffer (Cin·9 x rows·W) stays near kColumnBudget floats.
std::int64_t CpuBackend::conv_chunk(const ConvShape& s) const {
    const std::int64_t row = std::int64_t(s.in_channels) * 9 * s.width;
    return std::min<std::int64_t>(s.height, std::max<std::int64_t>(1, kColumnBudget / row));
}

std::size_t CpuBackend::conv_memory(const ConvShape& s) const {
    return static_cast<std::size_t>(conv_chunk(s) * s.width * s.in_channels * 9) * sizeof(float);
}

void CpuBackend::prepare_conv(const ConvShape& shape) {
    check_shape(shape);
    workspace(conv_memory(shape) / sizeof(float));
}

std::string CpuBackend::describe_conv(const ConvShape& s) {
    prepare_conv(s);
    const std::int64_t rows = conv_chunk(s);
    const std::int64_t chunks = (s.height + rows - 1) / rows;
    return "im2col + OpenBLAS SGEMM (" + std::to_string(s.out_channels) + " x " + std::to_string(s.in_channels * 9) +
           " x " + std::to_string(rows * s.width) + (chunks > 1 ? ", " + std::to_string(chunks) + " row chunks" : "") +
           "), backward-data SGEMM + col2im";
}

void CpuBackend::conv_forward(const ConvShape& s, const float* x, const float* w, const float* b, float* y, bool relu) {
    check_shape(s);
    const std::int64_t pixels = static_cast<std::int64_t>(s.height) * s.width;
    const std::int64_t k = std::int64_t(s.in_channels) * 9;
    const std::int64_t rows = conv_chunk(s);
    float* cols = workspace(static_cast<std::size_t>(rows * s.width * k));
    for (int n = 0; n < s.batch; ++n) {
        const float* xn = x + std::int64_t(n) * s.in_channels * pixels;
        float* yn = y + std::int64_t(n) * s.out_channels * pixels;
        for (int h0 = 0; h0 < s.height; h0 += static_cast<int>(rows)) {
            const int h1 = static_cast<int>(std::min<std::int64_t>(s.height, h0 + rows));
            const std::int64_t span = std::int64_t(h1 - h0) * s.width;
            im2col(xn, s.in_channels, s.height, s.width, h0, h1, cols, threads());
            // y[:, rows h0..h1) = W (out x k) * cols (k x span)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, s.out_channels, static_cast<int>(span),
                        static_cast<int>(k), 1.0f, w, static_cast<int>(k), cols, static_cast<int>(span), 0.0f,
                        yn + std::int64_t(h0) * s.width, static_cast<int>(pixels));
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
    const std::int64_t rows = conv_chunk(s);
    float* dcols = workspace(static_cast<std::size_t>(rows * s.width * k));
    for (int n = 0; n < s.batch; ++n) {
        const float* dyn = dy + std::int64_t(n) * s.out_channels * pixels;
        float* dxn = dx + std::int64_t(n) * s.in_channels * pixels;
        std::fill(dxn, dxn + s.in_channels * pixels, 0.0f);
        for (int h0 = 0; h0 < s.height; h0 += static_cast<int>(rows)) {
            const int h1 = static_cast<int>(std::min<std::int64_t>(s.height, h0 + rows));
            const std::int64_t span = std::int64_t(h1 - h0) * s.width;
            // dcols (k x span) = Wᵀ (k x out) * dy[:, rows h0..h1)
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, static_cast<int>(k), static_cast<int>(span),
                        s.out_channels, 1.0f, w, static_cast<int>(k), dyn + std::int64_t(h0) * s.width,
                        static_cast<int>(pixels), 0.0f, dcols, static_cast<int>(span));
            col2im_add(dcols, s.in_channels, s.height, s.width, h0, h1, dxn, threads());
        }
    }
}

}  // namespace nst::cpu
