// relu: ReLU backward (the forward ReLU is fused into conv). CPU exactly against the definition, by finite
// differences away from the kink, and the CUDA backend (cuDNN) against the CPU up to 67M elements.
#include <catch2/catch.hpp>

#include <cmath>

#include "op_checks.hpp"
#include "../support/device_kind.hpp"

using namespace nst;
using namespace nst::test;

namespace {

// Inputs {y, dy}: dx.
Op relu_backward_op(std::size_t n) {
    return [n](OpBackend& be, const std::vector<Buffer>& in, float* dx) {
        be.relu_backward(in[0].data(), in[1].data(), dx, n);
    };
}

}  // namespace

TEST_CASE("cpu relu backward passes the gradient where the output is positive", "[ops][relu]") {
    auto b = cpu_backend();
    const auto y = random_floats(1000, 9), dy = random_floats(1000, 10);
    std::vector<float> yr(y);
    for (float& v : yr) v = std::max(v, 0.0f);
    Buffer Y = put(*b, yr), DY = put(*b, dy), DX = poisoned(*b, 1000);
    b->relu_backward(Y.data(), DY.data(), DX.data(), 1000);
    const auto dx = get(*b, DX);
    for (std::size_t i = 0; i < 1000; ++i) CHECK(dx[i] == (yr[i] > 0 ? dy[i] : 0.0f));
    b->relu_backward(Y.data(), DY.data(), DY.data(), 1000);  // in place
    CHECK(get(*b, DY) == dx);
}

TEST_CASE("gradcheck: ReLU backward away from the kink", "[gradcheck][relu]") {
    auto b = make_cpu_op_backend();
    auto x = random_floats(200, 34);
    for (float& v : x) v = v < 0 ? v - 0.05f : v + 0.05f;  // |x| >= 0.05 >> h: no sign change within ±h
    const auto r = random_floats(200, 35);
    std::vector<float> y(x);
    for (float& v : y) v = std::max(v, 0.0f);
    Buffer Y = put(*b, y), R = put(*b, r), DX = poisoned(*b, 200);
    b->relu_backward(Y.data(), R.data(), DX.data(), 200);
    const Vec numeric = numeric_gradient(
        [&](const Vec& xv) {
            double s = 0;
            for (std::size_t i = 0; i < xv.size(); ++i) s += std::max(xv[i], 0.0) * r[i];
            return s;
        },
        to_double(x), kH);
    CHECK(relative_max_error(get(*b, DX), numeric) < kGradTolerance);
}

TEST_CASE("gpu: ReLU backward (cuDNN) matches the CPU, in place too", "[gpu][relu]") {
    Pair p = backends();
    for (std::size_t n : {std::size_t(1), std::size_t(1000), std::size_t(123457)}) {
        auto y = random_floats(n, 109);
        for (float& v : y) v = std::max(v, 0.0f);
        const auto dy = random_floats(n, 110);
        check_op(p, "relu backward n=" + std::to_string(n), {y, dy}, n, relu_backward_op(n));
        check_op(p, "relu backward in place n=" + std::to_string(n), {y, dy}, n,
                 [&](OpBackend& be, const std::vector<Buffer>& in, float* out) {
                     be.relu_backward(in[0].data(), in[1].data(), in[1].data(), n);
                     be.copy(in[1].data(), out, n);
                 });
    }
}

// A 1024 px pass's relu1_1: 64 x 1024 x 1024 elements through cuDNN's 1 x 1 x 1 x N descriptor (4M on the
// emulated device).
TEST_CASE("gpu: ReLU backward at a 1024 px pass's size (67M elements) matches the CPU", "[gpu][relu][large]") {
    Pair p = backends();
    const std::size_t n = gpu_size(std::size_t(64) * 1024 * 1024, std::size_t(4) << 20);
    auto y = random_floats(n, 135);
    for (float& v : y) v = std::max(v, 0.0f);
    const auto dy = random_floats(n, 136);
    check_op(p, "relu backward n=" + std::to_string(n), {y, dy}, n, relu_backward_op(n));
}
