// L-BFGS without a line search, on a backend (nst::LbfgsParams): every vector and scalar of the two-loop
// recursion stays in backend memory; the scalar ops (scalar_ratio, axpy_scalar) read their coefficients
// there, so a step waits for nothing but the first step's |g|₁.
#include <algorithm>
#include <cmath>

#include "nst/error.hpp"
#include "transfer/optimizer.hpp"

namespace nst {

namespace {

constexpr float kMinCurvature = 1e-10f;

}  // namespace

LbfgsOptimizer::LbfgsOptimizer(OpBackend& backend, std::size_t n, const LbfgsParams& params)
    : backend_(backend), n_(n), history_(params.history), lr_(params.lr) {
    if (history_ < 1 || history_ > 1000)
        throw OptionError("lbfgs.history", std::to_string(history_) + " (must be 1 to 1000)");
    for (int i = 0; i < history_; ++i) {
        s_.push_back(backend_.allocate(n_));
        y_.push_back(backend_.allocate(n_));
    }
    g_prev_ = backend_.allocate(n_);
    direction_ = backend_.allocate(n_);
    scalars_ = backend_.allocate(std::size_t(2 * history_) + 3);
    backend_.fill(scalars_.data(), scalars_.size(), 0.0f);
    backend_.fill(gamma(), 1, 1.0f);  // H0 = I until a curvature pair says otherwise
}

// s = −min(1, 1/|g|₁)·lr·g: the host reads g once, for its 1-norm.
void LbfgsOptimizer::first_step(const float* g) {
    std::vector<float> host(n_);
    backend_.download(g, host.data(), n_);
    double l1 = 0.0;
    for (float v : host) l1 += std::abs(v);
    const float t = static_cast<float>(std::min(1.0, l1 > 0 ? 1.0 / l1 : 1.0) * lr_);
    newest_ = 0;
    backend_.copy(g, s_[0].data(), n_);
    backend_.scale(-t, s_[0].data(), n_);
}

// y = g − g_prev for the newest s; its yᵀs, and gamma = yᵀs / yᵀy only when yᵀs > kMinCurvature: a pair
// with negative (or no) curvature would make gamma negative and the next step point uphill. Such a pair is
// not used at all (its alpha and beta are 0 in the recursion); unlike torch's LBFGS it still takes its slot
// of the history until it ages out, because dropping it would need yᵀs on the host.
void LbfgsOptimizer::complete_newest_pair(const float* g) {
    float* y = y_[static_cast<std::size_t>(newest_)].data();
    backend_.copy(g, y, n_);
    backend_.axpy(-1.0f, g_prev_.data(), y, n_);
    backend_.dot(y, s_[static_cast<std::size_t>(newest_)].data(), n_, ys(newest_));
    backend_.dot(y, y, n_, tmp());
    backend_.scalar_ratio(ys(newest_), tmp(), ys(newest_), kMinCurvature, -1.0f, gamma());
    pairs_ = std::min(pairs_ + 1, history_);
}

// direction = H g by the two-loop recursion; pairs with yᵀs <= kMinCurvature get alpha = beta = 0.
void LbfgsOptimizer::two_loop_recursion(const float* g) {
    float* q = direction_.data();
    backend_.copy(g, q, n_);
    for (int age = 0; age < pairs_; ++age) {
        const int i = slot(age);
        backend_.dot(s_[static_cast<std::size_t>(i)].data(), q, n_, tmp());
        backend_.scalar_ratio(tmp(), ys(i), ys(i), kMinCurvature, 0.0f, alpha(i));
        backend_.axpy_scalar(-1.0f, alpha(i), y_[static_cast<std::size_t>(i)].data(), q, n_);
    }
    backend_.scale_scalar(gamma(), q, n_);
    for (int age = pairs_ - 1; age >= 0; --age) {
        const int i = slot(age);
        backend_.dot(y_[static_cast<std::size_t>(i)].data(), q, n_, tmp());
        backend_.scalar_ratio(tmp(), ys(i), ys(i), kMinCurvature, 0.0f, tmp2());  // beta
        backend_.scalar_subtract(alpha(i), tmp2(), tmp2());                // alpha − beta
        backend_.axpy_scalar(1.0f, tmp2(), s_[static_cast<std::size_t>(i)].data(), q, n_);
    }
}

void LbfgsOptimizer::step(float* x, const float* g) {
    if (newest_ < 0) {
        first_step(g);
    } else {
        complete_newest_pair(g);
        two_loop_recursion(g);
        // The step s = −lr · H g goes into the next slot (the oldest pair when the history is full).
        newest_ = (newest_ + 1) % history_;
        backend_.copy(direction_.data(), s_[static_cast<std::size_t>(newest_)].data(), n_);
        backend_.scale(-lr_, s_[static_cast<std::size_t>(newest_)].data(), n_);
    }
    backend_.copy(g, g_prev_.data(), n_);
    backend_.axpy(1.0f, s_[static_cast<std::size_t>(newest_)].data(), x, n_);
    ++steps_;
}

}  // namespace nst
