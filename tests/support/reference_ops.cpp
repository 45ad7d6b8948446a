#include "reference_ops.hpp"

#include <algorithm>
#include <cmath>

#include "shared/counter_rng.hpp"

namespace nst::test {

std::vector<float> random_floats(std::size_t n, std::uint64_t seed, float lo, float hi) {
    std::vector<float> v(n);
    for (std::size_t i = 0; i < n; ++i)
        v[i] = static_cast<float>(lo + (hi - lo) * rng::uniform24(rng::hash(seed, 77, i)));
    return v;
}

Vec to_double(const std::vector<float>& v) {
    return Vec(v.begin(), v.end());
}

namespace {

std::size_t at(int c, int h, int w, int H, int W) {
    return (std::size_t(c) * H + h) * W + w;
}

}  // namespace

// Calls f(y index, x index, w index) for every product of the textbook convolution: output (n, o, ho, wo),
// input channel i, kernel offset (kh, kw), the input pixel (ho·stride + kh − pad, wo·stride + kw − pad) where
// it lies inside the image (outside it is a zero of the padding).
template <class F>
void for_each_product(const ConvShape& s, F f) {
    const int H = s.height, W = s.width, Ci = s.in_channels, Co = s.out_channels, K = s.kernel;
    const int OH = s.out_height(), OW = s.out_width();
    for (int n = 0; n < s.batch; ++n)
        for (int o = 0; o < Co; ++o)
            for (int ho = 0; ho < OH; ++ho)
                for (int wo = 0; wo < OW; ++wo)
                    for (int i = 0; i < Ci; ++i)
                        for (int kh = 0; kh < K; ++kh)
                            for (int kw = 0; kw < K; ++kw) {
                                const int h = ho * s.stride + kh - s.pad, c = wo * s.stride + kw - s.pad;
                                if (h < 0 || h >= H || c < 0 || c >= W) continue;
                                f(std::size_t(n) * Co * OH * OW + at(o, ho, wo, OH, OW),
                                  std::size_t(n) * Ci * H * W + at(i, h, c, H, W),
                                  ((std::size_t(o) * Ci + i) * K + kh) * K + kw);
                            }
}

Vec conv2d(const ConvShape& s, const Vec& x, const Vec& w, const Vec& b, bool relu) {
    const std::size_t plane = std::size_t(s.out_height()) * s.out_width();
    Vec y(s.out_size());
    for (std::size_t j = 0; j < y.size(); ++j) y[j] = b[j / plane % std::size_t(s.out_channels)];
    for_each_product(s, [&](std::size_t yi, std::size_t xi, std::size_t wi) { y[yi] += w[wi] * x[xi]; });
    if (relu)
        for (double& v : y) v = std::max(v, 0.0);
    return y;
}

Vec conv2d_transpose(const ConvShape& s, const Vec& w, const Vec& dy) {
    Vec dx(s.in_size(), 0.0);
    for_each_product(s, [&](std::size_t yi, std::size_t xi, std::size_t wi) { dx[xi] += dy[yi] * w[wi]; });
    return dx;
}

Vec conv2d_filter_gradient(const ConvShape& s, const Vec& x, const Vec& dy) {
    Vec dw(s.filter_size(), 0.0);
    for_each_product(s, [&](std::size_t yi, std::size_t xi, std::size_t wi) { dw[wi] += dy[yi] * x[xi]; });
    return dw;
}

Vec conv2d_bias_gradient(const ConvShape& s, const Vec& dy) {
    const std::size_t plane = std::size_t(s.out_height()) * s.out_width();
    Vec db(std::size_t(s.out_channels), 0.0);
    for (std::size_t j = 0; j < dy.size(); ++j) db[j / plane % std::size_t(s.out_channels)] += dy[j];
    return db;
}

Vec pool(const PoolShape& s, const Vec& x) {
    const int H = s.height, W = s.width, OH = s.out_height(), OW = s.out_width();
    Vec y(std::size_t(s.batch) * s.channels * OH * OW);
    for (int p = 0; p < s.batch * s.channels; ++p)
        for (int i = 0; i < OH; ++i)
            for (int j = 0; j < OW; ++j) {
                double acc = s.mode == PoolMode::Max ? -INFINITY : 0.0;
                int count = 0;
                for (int h = 2 * i; h < std::min(2 * i + 2, H); ++h)
                    for (int w = 2 * j; w < std::min(2 * j + 2, W); ++w) {
                        const double v = x[at(p, h, w, H, W)];
                        acc = s.mode == PoolMode::Max ? std::max(acc, v) : acc + v;
                        ++count;
                    }
                y[at(p, i, j, OH, OW)] = s.mode == PoolMode::Max ? acc : acc / count;
            }
    return y;
}

Vec pool_gradient(const PoolShape& s, const Vec& x, const Vec& dy) {
    const int H = s.height, W = s.width, OH = s.out_height(), OW = s.out_width();
    Vec dx(x.size(), 0.0);
    const Vec y = pool(s, x);
    for (int p = 0; p < s.batch * s.channels; ++p)
        for (int i = 0; i < OH; ++i)
            for (int j = 0; j < OW; ++j) {
                const int h0 = 2 * i, h1 = std::min(2 * i + 2, H), w0 = 2 * j, w1 = std::min(2 * j + 2, W);
                const double g = dy[at(p, i, j, OH, OW)];
                if (s.mode == PoolMode::Average) {
                    for (int h = h0; h < h1; ++h)
                        for (int w = w0; w < w1; ++w) dx[at(p, h, w, H, W)] = g / ((h1 - h0) * (w1 - w0));
                    continue;
                }
                bool done = false;
                for (int h = h0; h < h1 && !done; ++h)
                    for (int w = w0; w < w1 && !done; ++w)
                        if (x[at(p, h, w, H, W)] == y[at(p, i, j, OH, OW)]) {
                            dx[at(p, h, w, H, W)] = g;
                            done = true;
                        }
            }
    return dx;
}

Vec gram(const Vec& F, int C, std::int64_t M) {
    Vec G(std::size_t(C) * C, 0.0);
    for (int i = 0; i < C; ++i)
        for (int j = 0; j < C; ++j) {
            double acc = 0.0;
            for (std::int64_t k = 0; k < M; ++k) acc += F[std::size_t(i) * M + k] * F[std::size_t(j) * M + k];
            G[std::size_t(i) * C + j] = acc;
        }
    return G;
}

double style_loss(const Vec& F, int C, std::int64_t M, const Vec& A, double weight) {
    const Vec G = gram(F, C, M);
    double s = 0.0;
    for (std::size_t i = 0; i < G.size(); ++i) s += (G[i] - A[i]) * (G[i] - A[i]);
    const double m = static_cast<double>(M);
    return weight * s / (4.0 * C * C * m * m);
}

Vec style_gradient(const Vec& F, int C, std::int64_t M, const Vec& A, double weight) {
    const Vec G = gram(F, C, M);
    const double m = static_cast<double>(M);
    Vec dF(F.size(), 0.0);
    for (int i = 0; i < C; ++i)
        for (std::int64_t k = 0; k < M; ++k) {
            double acc = 0.0;
            for (int j = 0; j < C; ++j)
                acc += (G[std::size_t(i) * C + j] - A[std::size_t(i) * C + j]) * F[std::size_t(j) * M + k];
            dF[std::size_t(i) * M + k] = weight * acc / (double(C) * C * m * m);
        }
    return dF;
}

double content_loss(const Vec& F, const Vec& P, int C, std::int64_t M, double weight) {
    double s = 0.0;
    for (std::size_t i = 0; i < F.size(); ++i) s += (F[i] - P[i]) * (F[i] - P[i]);
    return weight * s / (4.0 * C * static_cast<double>(M));
}

double tv_loss(int planes, int H, int W, const Vec& x, double weight) {
    double s = 0.0;
    for (int p = 0; p < planes; ++p)
        for (int h = 0; h < H; ++h)
            for (int w = 0; w < W; ++w) {
                const double v = x[at(p, h, w, H, W)];
                if (w + 1 < W) s += (x[at(p, h, w + 1, H, W)] - v) * (x[at(p, h, w + 1, H, W)] - v);
                if (h + 1 < H) s += (x[at(p, h + 1, w, H, W)] - v) * (x[at(p, h + 1, w, H, W)] - v);
            }
    return weight * s;
}

double relative_max_error(const Vec& a, const Vec& b, double floor) {
    double err = 0.0, scale = floor;
    if (a.size() != b.size()) return INFINITY;
    for (std::size_t i = 0; i < b.size(); ++i) {
        const double d = std::abs(a[i] - b[i]);
        if (std::isnan(d)) return INFINITY;  // std::max would skip it: an unwritten (poisoned) output
        err = std::max(err, d);
        scale = std::max(scale, std::abs(b[i]));
    }
    return err / scale;
}

double relative_max_error(const std::vector<float>& a, const Vec& b, double floor) {
    return relative_max_error(to_double(a), b, floor);
}

}  // namespace nst::test
