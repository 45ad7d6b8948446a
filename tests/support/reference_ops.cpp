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

Vec conv3x3(const ConvShape& s, const Vec& x, const Vec& w, const Vec& b, bool relu) {
    const int H = s.height, W = s.width, Ci = s.in_channels, Co = s.out_channels;
    Vec y(std::size_t(s.batch) * Co * H * W);
    for (int n = 0; n < s.batch; ++n)
        for (int o = 0; o < Co; ++o)
            for (int h = 0; h < H; ++h)
                for (int c = 0; c < W; ++c) {
                    double acc = b[std::size_t(o)];
                    for (int i = 0; i < Ci; ++i)
                        for (int kr = 0; kr < 3; ++kr)
                            for (int kc = 0; kc < 3; ++kc) {
                                const int hh = h + kr - 1, cc = c + kc - 1;
                                if (hh < 0 || hh >= H || cc < 0 || cc >= W) continue;
                                acc += w[((std::size_t(o) * Ci + i) * 3 + kr) * 3 + kc] *
                                       x[std::size_t(n) * Ci * H * W + at(i, hh, cc, H, W)];
                            }
                    y[std::size_t(n) * Co * H * W + at(o, h, c, H, W)] = relu ? std::max(acc, 0.0) : acc;
                }
    return y;
}

Vec conv3x3_transpose(const ConvShape& s, const Vec& w, const Vec& dy) {
    const int H = s.height, W = s.width, Ci = s.in_channels, Co = s.out_channels;
    Vec dx(std::size_t(s.batch) * Ci * H * W, 0.0);
    for (int n = 0; n < s.batch; ++n)
        for (int o = 0; o < Co; ++o)
            for (int h = 0; h < H; ++h)
                for (int c = 0; c < W; ++c) {
                    const double g = dy[std::size_t(n) * Co * H * W + at(o, h, c, H, W)];
                    for (int i = 0; i < Ci; ++i)
                        for (int kr = 0; kr < 3; ++kr)
                            for (int kc = 0; kc < 3; ++kc) {
                                const int hh = h + kr - 1, cc = c + kc - 1;
                                if (hh < 0 || hh >= H || cc < 0 || cc >= W) continue;
                                dx[std::size_t(n) * Ci * H * W + at(i, hh, cc, H, W)] +=
                                    g * w[((std::size_t(o) * Ci + i) * 3 + kr) * 3 + kc];
                            }
                }
    return dx;
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
    for (std::size_t i = 0; i < b.size(); ++i) {
        err = std::max(err, std::abs(a[i] - b[i]));
        scale = std::max(scale, std::abs(b[i]));
    }
    return a.size() == b.size() ? err / scale : INFINITY;
}

double relative_max_error(const std::vector<float>& a, const Vec& b, double floor) {
    return relative_max_error(to_double(a), b, floor);
}

}  // namespace nst::test
