// Textbook implementations of libnst's ops in double, written for clarity, not speed: the references the
// CPU backend is tested against. Layouts as in nst/backend.hpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/op_backend.hpp"

namespace nst::test {

using Vec = std::vector<double>;

// Fixed-seed uniform values in [lo, hi) (counter-based: the same on every platform).
std::vector<float> random_floats(std::size_t n, std::uint64_t seed, float lo = -1.0f, float hi = 1.0f);
Vec to_double(const std::vector<float>& v);

// y = conv(x, w) + b, optionally relu. x: N x Cin x H x W; w: Cout x Cin x K x K; stride and zero padding as
// in the shape.
Vec conv2d(const ConvShape& s, const Vec& x, const Vec& w, const Vec& b, bool relu);
// The gradients of <dy, conv(x, w) + b>: with respect to x (the transposed convolution), w and b.
Vec conv2d_transpose(const ConvShape& s, const Vec& w, const Vec& dy);
Vec conv2d_filter_gradient(const ConvShape& s, const Vec& x, const Vec& dy);
Vec conv2d_bias_gradient(const ConvShape& s, const Vec& dy);
// 2x2/stride-2 'SAME' pooling and its gradient (max: the first maximum in row-major order).
Vec pool(const PoolShape& s, const Vec& x);
Vec pool_gradient(const PoolShape& s, const Vec& x, const Vec& dy);
// G = F Fᵀ, F: C x M.
Vec gram(const Vec& F, int C, std::int64_t M);
double style_loss(const Vec& F, int C, std::int64_t M, const Vec& A, double weight);
Vec style_gradient(const Vec& F, int C, std::int64_t M, const Vec& A, double weight);
double content_loss(const Vec& F, const Vec& P, int C, std::int64_t M, double weight);
double tv_loss(int planes, int H, int W, const Vec& x, double weight);

// Central finite differences of f at x, in double: (f(x + h e_i) − f(x − h e_i)) / 2h for every i.
template <class F>
Vec numeric_gradient(F f, Vec x, double h) {
    Vec g(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double keep = x[i];
        x[i] = keep + h;
        const double up = f(x);
        x[i] = keep - h;
        const double down = f(x);
        x[i] = keep;
        g[i] = (up - down) / (2.0 * h);
    }
    return g;
}

// max |a − b| / max(max |b|, floor): the error relative to the reference's scale; infinite when the sizes
// differ or any difference is NaN (an output left poisoned).
double relative_max_error(const std::vector<float>& a, const Vec& b, double floor = 1e-30);
double relative_max_error(const Vec& a, const Vec& b, double floor = 1e-30);

}  // namespace nst::test
