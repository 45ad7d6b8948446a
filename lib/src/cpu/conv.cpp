// CPU 2-D convolution (any kernel, stride and zero padding): im2col + OpenBLAS SGEMM over chunks of output
// rows. The rows of all images form one sequence (image, output row); a chunk is either part of one image
// (VGG's large images: the im2col buffer stays small, a 512 px conv1_2 would otherwise need 600 MB of
// columns) or several whole images (ResNet's small ones: one GEMM for many images instead of a
// matrix-vector product each). Forward, backward-data, backward-filter and the bias gradient.
#include <cblas.h>

#include <algorithm>
#include <cstring>

#include "cpu_backend.hpp"
#include "core/shape_checks.hpp"

namespace nst::cpu {

namespace {

// Column budget of the im2col buffer, in floats (32 MiB).
constexpr std::int64_t kColumnBudget = std::int64_t(8) << 20;

std::int64_t column_rows(const ConvShape& s) {
    return std::int64_t(s.in_channels) * s.kernel * s.kernel;
}

// A chunk of output rows [r0, r1) of the (image, output row) sequence.
struct Chunk {
    std::int64_t r0, r1;
    bool one_image;  // all its rows belong to image r0 / Ho: its outputs are contiguous per channel
    std::int64_t pixels(int out_width) const { return (r1 - r0) * out_width; }
};

// out[j] = src[j * stride + offset] where that lies in [0, width), else 0; j < count.
void gather_row(const float* src, int width, int offset, int stride, int count, float* out) {
    if (stride == 1) {
        const int begin = std::clamp(-offset, 0, count), end = std::clamp(width - offset, begin, count);
        std::fill(out, out + begin, 0.0f);
        std::memcpy(out + begin, src + begin + offset, sizeof(float) * static_cast<std::size_t>(end - begin));
        std::fill(out + end, out + count, 0.0f);
        return;
    }
    for (int j = 0; j < count; ++j) {
        const int i = j * stride + offset;
        out[j] = i >= 0 && i < width ? src[i] : 0.0f;
    }
}

// cols[k][(r − r0) · Wo + wo] for k = (ci · K + kh) · K + kw: x[n][ci][ho·s + kh − p][wo·s + kw − p] or 0,
// with (n, ho) the r-th output row. One thread per column row k.
void im2col(const ConvShape& s, const float* x, const Chunk& c, float* cols, int threads) {
    const int H = s.height, W = s.width, K = s.kernel, Ho = s.out_height(), Wo = s.out_width();
    const std::int64_t span = c.pixels(Wo), plane = std::int64_t(H) * W;
#pragma omp parallel for num_threads(threads) schedule(static)
    for (std::int64_t k = 0; k < column_rows(s); ++k) {
        const int ci = static_cast<int>(k / (K * K)), kh = static_cast<int>(k / K % K), kw = static_cast<int>(k % K);
        float* out = cols + k * span;
        for (std::int64_t r = c.r0; r < c.r1; ++r, out += Wo) {
            const std::int64_t n = r / Ho;
            const int hi = static_cast<int>(r % Ho) * s.stride + kh - s.pad;
            if (hi < 0 || hi >= H) {
                std::fill(out, out + Wo, 0.0f);
                continue;
            }
            gather_row(x + (n * s.in_channels + ci) * plane + std::int64_t(hi) * W, W, kw - s.pad, s.stride, Wo, out);
        }
    }
}

// The adjoint of im2col: dx[n][ci][ho·s + kh − p][wo·s + kw − p] += dcols[k][...]. One thread per input
// channel, so no two threads write the same element.
void col2im_add(const ConvShape& s, const float* dcols, const Chunk& c, float* dx, int threads) {
    const int H = s.height, W = s.width, K = s.kernel, Ho = s.out_height(), Wo = s.out_width();
    const std::int64_t span = c.pixels(Wo), plane = std::int64_t(H) * W;
#pragma omp parallel for num_threads(threads) schedule(static)
    for (int ci = 0; ci < s.in_channels; ++ci)
        for (int kk = 0; kk < K * K; ++kk) {
            const int kh = kk / K, kw = kk % K;
            const float* col = dcols + (std::int64_t(ci) * K * K + kk) * span;
            for (std::int64_t r = c.r0; r < c.r1; ++r, col += Wo) {
                const int hi = static_cast<int>(r % Ho) * s.stride + kh - s.pad;
                if (hi < 0 || hi >= H) continue;
                float* dst = dx + ((r / Ho) * s.in_channels + ci) * plane + std::int64_t(hi) * W;
                for (int wo = 0; wo < Wo; ++wo) {
                    const int wi = wo * s.stride + kw - s.pad;
                    if (wi >= 0 && wi < W) dst[wi] += col[wo];
                }
            }
        }
}

// Between an output-like tensor t (N x C x Ho x Wo) and a chunk's C x pixels matrix m: m = t's rows
// (to_matrix) or t's rows = m.
void chunk_matrix(const ConvShape& s, int channels, const Chunk& c, float* t, float* m, bool to_matrix, int threads) {
    const int Ho = s.out_height(), Wo = s.out_width();
    const std::int64_t span = c.pixels(Wo), plane = std::int64_t(Ho) * Wo;
#pragma omp parallel for num_threads(threads) schedule(static)
    for (int ch = 0; ch < channels; ++ch)
        for (std::int64_t r = c.r0; r < c.r1; ++r) {
            float* row = t + ((r / Ho) * channels + ch) * plane + (r % Ho) * Wo;
            float* mrow = m + ch * span + (r - c.r0) * Wo;
            if (to_matrix)
                std::memcpy(mrow, row, sizeof(float) * static_cast<std::size_t>(Wo));
            else
                std::memcpy(row, mrow, sizeof(float) * static_cast<std::size_t>(Wo));
        }
}

// Calls work(chunk, matrix) for every chunk of `rows` output rows, in order; `matrix` is scratch for a
// C x pixels matrix when the chunk spans images (else nullptr).
template <class Work>
void for_each_chunk(const ConvShape& s, std::int64_t rows, float* matrix, Work work) {
    const std::int64_t Ho = s.out_height(), total = std::int64_t(s.batch) * Ho;
    for (std::int64_t r0 = 0; r0 < total;) {
        const std::int64_t r1 = rows >= Ho ? std::min(total, r0 + rows) : std::min(r0 + rows, (r0 / Ho + 1) * Ho);
        const Chunk c{r0, r1, r0 / Ho == (r1 - 1) / Ho};
        work(c, c.one_image ? nullptr : matrix);
        r0 = r1;
    }
}

// The chunk's rows of dy as a Cout x pixels matrix: in place within one image, else gathered into `matrix`.
// *ld: its leading dimension.
const float* chunk_gradient(const ConvShape& s, const float* dy, const Chunk& c, float* matrix, int* ld, int threads) {
    const std::int64_t plane = std::int64_t(s.out_height()) * s.out_width();
    if (matrix == nullptr) {
        *ld = static_cast<int>(plane);
        return dy + (c.r0 / s.out_height()) * s.out_channels * plane + (c.r0 % s.out_height()) * s.out_width();
    }
    chunk_matrix(s, s.out_channels, c, const_cast<float*>(dy), matrix, true, threads);
    *ld = static_cast<int>(c.pixels(s.out_width()));
    return matrix;
}

}  // namespace

// Output rows per chunk: within the column budget; when an image's rows fit, whole images.
std::int64_t CpuBackend::conv_chunk(const ConvShape& s) const {
    const std::int64_t Ho = s.out_height(), total = std::int64_t(s.batch) * Ho;
    const std::int64_t rows = std::min(total, std::max<std::int64_t>(1, kColumnBudget / (column_rows(s) * s.out_width())));
    return rows >= Ho ? rows / Ho * Ho : rows;
}

std::size_t CpuBackend::conv_memory(const ConvShape& s) const {
    const std::int64_t rows = conv_chunk(s), pixels = rows * s.out_width();
    // The columns, and the chunk's output (or output gradient) as a matrix when it spans several images.
    const std::int64_t matrix = rows > s.out_height() ? std::int64_t(s.out_channels) * pixels : 0;
    return static_cast<std::size_t>(column_rows(s) * pixels + matrix) * sizeof(float);
}

void CpuBackend::prepare_conv(const ConvShape& shape) {
    check_conv_shape(shape);
    workspace(conv_memory(shape) / sizeof(float));
}

std::string CpuBackend::describe_conv(const ConvShape& s) {
    prepare_conv(s);
    const std::int64_t rows = conv_chunk(s), total = std::int64_t(s.batch) * s.out_height();
    const std::int64_t chunks = (total + rows - 1) / rows;
    return "im2col + OpenBLAS SGEMM (" + std::to_string(s.out_channels) + " x " + std::to_string(column_rows(s)) +
           " x " + std::to_string(rows * s.out_width()) + (chunks > 1 ? ", " + std::to_string(chunks) + " row chunks" : "") +
           "), backward-data SGEMM + col2im";
}

// The im2col buffer (k x the largest chunk's pixels) and, after it, the matrix scratch.
float* CpuBackend::conv_scratch(const ConvShape& s, float** matrix) {
    check_conv_shape(s);
    float* cols = workspace(conv_memory(s) / sizeof(float));
    *matrix = cols + column_rows(s) * conv_chunk(s) * s.out_width();
    return cols;
}

void CpuBackend::conv_forward(const ConvShape& s, const float* x, const float* w, const float* b, float* y, bool relu) {
    const std::int64_t k = column_rows(s), plane = std::int64_t(s.out_height()) * s.out_width();
    float* scratch = nullptr;
    float* cols = conv_scratch(s, &scratch);
    for_each_chunk(s, conv_chunk(s), scratch, [&](const Chunk& c, float* matrix) {
        const std::int64_t span = c.pixels(s.out_width());
        im2col(s, x, c, cols, threads());
        // out (Cout x span) = W (Cout x k) · cols (k x span): straight into y within one image.
        const std::int64_t n = c.r0 / s.out_height();
        float* out = matrix != nullptr ? matrix : y + n * s.out_channels * plane + (c.r0 % s.out_height()) * s.out_width();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, s.out_channels, static_cast<int>(span),
                    static_cast<int>(k), 1.0f, w, static_cast<int>(k), cols, static_cast<int>(span), 0.0f, out,
                    static_cast<int>(matrix != nullptr ? span : plane));
        if (matrix != nullptr) chunk_matrix(s, s.out_channels, c, y, matrix, false, threads());
    });
    const std::int64_t planes = std::int64_t(s.batch) * s.out_channels;
#pragma omp parallel for num_threads(threads()) schedule(static)
    for (std::int64_t p = 0; p < planes; ++p) {
        float* row = y + p * plane;
        const float bias = b[p % s.out_channels];
        if (relu) {
            for (std::int64_t j = 0; j < plane; ++j) row[j] = std::max(row[j] + bias, 0.0f);
        } else {
            for (std::int64_t j = 0; j < plane; ++j) row[j] += bias;
        }
    }
}

void CpuBackend::conv_backward_data(const ConvShape& s, const float* w, const float* dy, float* dx) {
    const std::int64_t k = column_rows(s);
    float* scratch = nullptr;
    float* dcols = conv_scratch(s, &scratch);
    std::fill(dx, dx + s.in_size(), 0.0f);
    for_each_chunk(s, conv_chunk(s), scratch, [&](const Chunk& c, float* matrix) {
        const std::int64_t span = c.pixels(s.out_width());
        int ld = 0;
        const float* g = chunk_gradient(s, dy, c, matrix, &ld, threads());
        // dcols (k x span) = Wᵀ (k x Cout) · g (Cout x span)
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, static_cast<int>(k), static_cast<int>(span), s.out_channels,
                    1.0f, w, static_cast<int>(k), g, ld, 0.0f, dcols, static_cast<int>(span));
        col2im_add(s, dcols, c, dx, threads());
    });
}

void CpuBackend::conv_backward_filter(const ConvShape& s, const float* x, const float* dy, float* dw, bool accumulate) {
    const std::int64_t k = column_rows(s);
    float* scratch = nullptr;
    float* cols = conv_scratch(s, &scratch);
    bool first = !accumulate;
    for_each_chunk(s, conv_chunk(s), scratch, [&](const Chunk& c, float* matrix) {
        const std::int64_t span = c.pixels(s.out_width());
        im2col(s, x, c, cols, threads());
        int ld = 0;
        const float* g = chunk_gradient(s, dy, c, matrix, &ld, threads());
        // dw (Cout x k) (+)= g (Cout x span) · colsᵀ (span x k)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, s.out_channels, static_cast<int>(k), static_cast<int>(span),
                    1.0f, g, ld, cols, static_cast<int>(span), first ? 0.0f : 1.0f, dw, static_cast<int>(k));
        first = false;
    });
}

void CpuBackend::conv_backward_bias(const ConvShape& s, const float* dy, float* db, bool accumulate) {
    check_conv_shape(s);
    const std::int64_t plane = std::int64_t(s.out_height()) * s.out_width();
#pragma omp parallel for num_threads(threads()) schedule(static)
    for (int co = 0; co < s.out_channels; ++co) {
        double sum = 0.0;
        for (int n = 0; n < s.batch; ++n) {
            const float* row = dy + (std::int64_t(n) * s.out_channels + co) * plane;
            for (std::int64_t j = 0; j < plane; ++j) sum += row[j];
        }
        db[co] = static_cast<float>(accumulate ? db[co] + sum : sum);
    }
}

}  // namespace nst::cpu
