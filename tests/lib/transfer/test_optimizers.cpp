// The optimisers (lib/src/transfer/optimizer.hpp) on functions other than style transfer, driven through their
// gradient callback on the CPU backend: a quadratic whose minimiser is known, Rosenbrock's valley, and a
// function with negative curvature, where L-BFGS must never step uphill (a pair with yᵀs <= 0 must not
// change its scaling).
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <vector>

#include "../../support/backend_io.hpp"
#include "transfer/optimizer.hpp"

using namespace nst;
using namespace nst::test;

namespace {

using Function = std::function<double(const std::vector<double>&, std::vector<double>*)>;  // f and ∇f

// Runs `optimizer` for `steps` from x0 on `f`, recording f before each step and whether the step went
// downhill (gᵀs < 0 with g the gradient it was given); returns the final x.
std::vector<double> minimise(OpBackend& b, Optimizer& optimizer, const Function& f, const std::vector<double>& x0,
                             int steps, std::vector<double>* values, int* uphill) {
    const std::size_t n = x0.size();
    Buffer x = put(b, std::vector<float>(x0.begin(), x0.end())), g = b.allocate(n);
    std::vector<double> before(n), grad(n);
    *uphill = 0;
    optimizer.run(x.data(), steps, [&](const float* xp) {
        std::vector<float> host(n);
        b.download(xp, host.data(), n);
        before.assign(host.begin(), host.end());
        values->push_back(f(before, &grad));
        const std::vector<float> gf(grad.begin(), grad.end());
        b.upload(gf.data(), g.data(), n);
        return g.data();
    });
    const std::vector<float> last = get(b, x);
    return std::vector<double>(last.begin(), last.end());
}

// The L-BFGS above, but watching every step: the direction s = x_after − x_before against the gradient.
int uphill_steps(OpBackend& b, Optimizer& optimizer, const Function& f, const std::vector<double>& x0, int steps,
                 std::vector<double>* values) {
    const std::size_t n = x0.size();
    std::vector<float> xf(x0.begin(), x0.end());
    Buffer x = put(b, xf), g = b.allocate(n);
    std::vector<double> xd(n), grad(n);
    int uphill = 0;
    for (int k = 0; k < steps; ++k) {
        const std::vector<float> host = get(b, x);
        xd.assign(host.begin(), host.end());
        values->push_back(f(xd, &grad));
        const std::vector<float> gf(grad.begin(), grad.end());
        b.upload(gf.data(), g.data(), n);
        optimizer.step(x.data(), g.data());
        const std::vector<float> after = get(b, x);
        double slope = 0.0;
        for (std::size_t i = 0; i < n; ++i) slope += grad[i] * (double(after[i]) - xd[i]);
        uphill += slope > 0.0;
    }
    return uphill;
}

}  // namespace

TEST_CASE("optimisers: L-BFGS and Adam find a quadratic's known minimiser", "[optimizers]") {
    // f(x) = ½ xᵀAx − bᵀx with A = diag(1 ... 10): the minimiser is x*_i = b_i / a_i.
    const std::size_t n = 20;
    std::vector<double> a(n), bvec(n), exact(n);
    for (std::size_t i = 0; i < n; ++i) {
        a[i] = 1.0 + 9.0 * double(i) / (n - 1);
        bvec[i] = -1.0 + 2.0 * double(i) / (n - 1);
        exact[i] = bvec[i] / a[i];
    }
    const Function f = [&](const std::vector<double>& x, std::vector<double>* g) {
        double v = 0.0;
        for (std::size_t i = 0; i < n; ++i) {
            v += 0.5 * a[i] * x[i] * x[i] - bvec[i] * x[i];
            (*g)[i] = a[i] * x[i] - bvec[i];
        }
        return v;
    };
    auto b = make_cpu_op_backend();
    std::vector<double> values;
    int uphill = 0;
    LbfgsOptimizer lbfgs(*b, n, LbfgsParams{});
    std::vector<double> x = minimise(*b, lbfgs, f, std::vector<double>(n, 0.0), 40, &values, &uphill);
    for (std::size_t i = 0; i < n; ++i) CHECK(x[i] == Approx(exact[i]).margin(1e-5));
    AdamParams p;
    p.lr = 0.01f;
    p.flavor = AdamFlavor::PyTorch;
    AdamOptimizer adam(*b, n, p);
    x = minimise(*b, adam, f, std::vector<double>(n, 0.0), 3000, &values, &uphill);
    for (std::size_t i = 0; i < n; ++i) CHECK(x[i] == Approx(exact[i]).margin(1e-3));
}

TEST_CASE("optimisers: L-BFGS goes down Rosenbrock's valley to (1, ..., 1)", "[optimizers]") {
    const Function rosenbrock = [](const std::vector<double>& x, std::vector<double>* g) {
        double v = 0.0;
        std::fill(g->begin(), g->end(), 0.0);
        for (std::size_t i = 0; i + 1 < x.size(); ++i) {
            const double r = x[i + 1] - x[i] * x[i];
            v += 100.0 * r * r + (1.0 - x[i]) * (1.0 - x[i]);
            (*g)[i] += -400.0 * x[i] * r - 2.0 * (1.0 - x[i]);
            (*g)[i + 1] += 200.0 * r;
        }
        return v;
    };
    auto b = make_cpu_op_backend();
    LbfgsOptimizer lbfgs(*b, 4, LbfgsParams{});
    std::vector<double> values;
    int uphill = 0;
    const std::vector<double> x = minimise(*b, lbfgs, rosenbrock, {-1.2, 1.0, -1.2, 1.0}, 300, &values, &uphill);
    INFO("f from " << values.front() << " to " << values.back());
    for (double v : x) CHECK(v == Approx(1.0).margin(1e-3));
}

TEST_CASE("optimisers: after negative curvature L-BFGS still steps downhill", "[optimizers][lbfgs]") {
    // f(x) = Σ x⁴/4 − x²/2 + x/10 from points near 0, where f'' = 3x² − 1 < 0: the first curvature pairs
    // have yᵀs < 0. Scaling H0 by such a pair's yᵀs / yᵀy (negative) turned the next steps uphill (10 of 30
    // in a double-precision model of the old rule); with the pair left out none may be.
    const Function f = [](const std::vector<double>& x, std::vector<double>* g) {
        double v = 0.0;
        for (std::size_t i = 0; i < x.size(); ++i) {
            v += std::pow(x[i], 4) / 4 - x[i] * x[i] / 2 + 0.1 * x[i];
            (*g)[i] = std::pow(x[i], 3) - x[i] + 0.1;
        }
        return v;
    };
    auto b = make_cpu_op_backend();
    LbfgsOptimizer lbfgs(*b, 4, LbfgsParams{});
    std::vector<double> values;
    const int uphill = uphill_steps(*b, lbfgs, f, {0.3, -0.2, 0.05, 0.6}, 30, &values);
    INFO("f from " << values.front() << " to " << values.back());
    CHECK(uphill == 0);
    CHECK(values.back() < values.front() - 0.8);  // down to the minima near ±1: about -1.01
}
