// The emulated cuDNN's convolution arithmetic: direct loops in double over the descriptors' strides (any
// format the descriptors describe), cross-correlation or convolution (the filter flipped), padding, stride
// and dilation; and the rounding of inputs that TF32 or FP16 math would do.
#include <cmath>
#include <cstring>

#include "cudnn_conv.hpp"

namespace nst::emulated::dnn {

namespace {

// IEEE half: 10 mantissa bits and a range of 65504 (above it, infinity).
float to_half(float v) {
    if (!std::isfinite(v)) return v;
    if (std::fabs(v) > 65504.0f) return std::copysign(INFINITY, v);
    int e = 0;
    std::frexp(v, &e);
    const float quantum = std::ldexp(1.0f, std::max(e - 11, -24));
    return std::nearbyint(v / quantum) * quantum;
}

struct Geometry {
    std::int64_t N, C, H, W, K, R, S, P, Q, ph, pw, sh, sw, dh, dw;
    bool flip;
};

Geometry geometry(const ConvProblem& p) {
    const auto& c = *p.conv;
    return Geometry{p.x->dims[0], p.x->dims[1], p.x->dims[2], p.x->dims[3], p.w->dims[0], p.w->dims[2], p.w->dims[3],
                    p.y->dims[2], p.y->dims[3], c.pad_h,      c.pad_w,      c.stride_h,   c.stride_w,   c.dilation_h,
                    c.dilation_w, c.mode == CUDNN_CONVOLUTION};
}

// f(xi, wi, yi) over every in-range tap, with xi, wi and yi the strided offsets of x, w and y (y dense for
// the forward result, strided for dy): the one loop nest of the three directions, its offsets stepped
// rather than recomputed.
template <class F>
void each_tap(const Geometry& g, const std::array<int, 4>& xs, const std::array<int, 4>& ws,
              const std::array<int, 4>& ys, F f) {
    for (std::int64_t n = 0; n < g.N; ++n)
        for (std::int64_t k = 0; k < g.K; ++k)
            for (std::int64_t c = 0; c < g.C; ++c)
                for (std::int64_t r = 0; r < g.R; ++r)
                    for (std::int64_t s = 0; s < g.S; ++s) {
                        const std::int64_t fr = g.flip ? g.R - 1 - r : r, fs = g.flip ? g.S - 1 - s : s;
                        const std::size_t wi = std::size_t(k * ws[0] + c * ws[1] + fr * ws[2] + fs * ws[3]);
                        // The output columns q whose input column q*sw - pw + s*dw is inside [0, W).
                        const std::int64_t off = s * g.dw - g.pw;
                        const std::int64_t q0 = off >= 0 ? 0 : (-off + g.sw - 1) / g.sw;
                        const std::int64_t q1 = std::min<std::int64_t>(g.Q, g.W - off <= 0 ? 0 : (g.W - off - 1) / g.sw + 1);
                        for (std::int64_t p = 0; p < g.P; ++p) {
                            const std::int64_t ih = p * g.sh - g.ph + r * g.dh;
                            if (ih < 0 || ih >= g.H) continue;
                            std::size_t xi = std::size_t(n * xs[0] + c * xs[1] + ih * xs[2] + (q0 * g.sw + off) * xs[3]);
                            std::size_t yi = std::size_t(n * ys[0] + k * ys[1] + p * ys[2] + q0 * ys[3]);
                            const std::size_t xstep = std::size_t(g.sw * xs[3]), ystep = std::size_t(ys[3]);
                            for (std::int64_t q = q0; q < q1; ++q, xi += xstep, yi += ystep) f(xi, wi, yi);
                        }
                    }
}

std::array<int, 4> dense_strides(const std::array<int, 4>& d) {
    return {d[1] * d[2] * d[3], d[2] * d[3], d[3], 1};
}

std::size_t dense_index(const std::array<int, 4>& d, std::int64_t a, std::int64_t b, std::int64_t c, std::int64_t e) {
    return static_cast<std::size_t>(((a * d[1] + b) * d[2] + c) * d[3] + e);
}

}  // namespace

const float* rounded(const float* p, std::size_t n, Rounding r, std::vector<float>& v) {
    if (r == Rounding::None) return p;
    v.assign(p, p + n);
    for (float& x : v) x = r == Rounding::Tf32 ? to_tf32(x) : to_half(x);
    return v.data();
}

std::vector<double>& result_buffer() {
    thread_local std::vector<double> b;
    return b;
}

std::vector<float>& input_buffer(int slot) {
    thread_local std::vector<float> b[2];
    return b[slot & 1];
}

void forward(const ConvProblem& pr, const float* x, const float* w, std::vector<double>& y) {
    y.assign(elements(pr.y->dims), 0.0);
    double* out = y.data();
    each_tap(geometry(pr), pr.x->strides, pr.w->strides, dense_strides(pr.y->dims),
             [&](std::size_t xi, std::size_t wi, std::size_t yi) { out[yi] += double(x[xi]) * double(w[wi]); });
}

void backward_data(const ConvProblem& pr, const float* w, const float* dy, std::vector<double>& dx) {
    dx.assign(elements(pr.x->dims), 0.0);
    double* out = dx.data();
    each_tap(geometry(pr), dense_strides(pr.x->dims), pr.w->strides, pr.y->strides,
             [&](std::size_t xi, std::size_t wi, std::size_t yi) { out[xi] += double(dy[yi]) * double(w[wi]); });
}

void backward_filter(const ConvProblem& pr, const float* x, const float* dy, std::vector<double>& dw) {
    dw.assign(elements(pr.w->dims), 0.0);
    double* out = dw.data();
    each_tap(geometry(pr), pr.x->strides, dense_strides(pr.w->dims), pr.y->strides,
             [&](std::size_t xi, std::size_t wi, std::size_t yi) { out[wi] += double(x[xi]) * double(dy[yi]); });
}

void blend(const std::array<int, 4>& d, const std::array<int, 4>& strides, const std::vector<double>& result,
           double alpha, double beta, float* dst) {
    for (std::int64_t a = 0; a < d[0]; ++a)
        for (std::int64_t b = 0; b < d[1]; ++b)
            for (std::int64_t c = 0; c < d[2]; ++c)
                for (std::int64_t e = 0; e < d[3]; ++e) {
                    float& out = dst[at(strides, a, b, c, e)];
                    const double v = alpha * result[dense_index(d, a, b, c, e)];
                    out = static_cast<float>(beta == 0.0 ? v : v + beta * double(out));
                }
}

}  // namespace nst::emulated::dnn
