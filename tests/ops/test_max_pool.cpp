// max_pool: max pooling with any window, stride and padding (padding excluded), ResNet-50's 3x3/2 pad 1 in
// particular. CPU exactly against the textbook maximum; the backward (each window's gradient to its
// maximum) by finite differences away from ties; the CUDA backend (cuDNN) against the CPU.
#include <catch2/catch.hpp>

#include "../support/reference_training.hpp"
#include "op_checks.hpp"

using namespace nst;
using namespace nst::test;

namespace {

const MaxPoolShape kShapes[] = {
    {2, 3, 16, 16, 3, 2, 1},  // ResNet-50's pool1 at 32x32 input, smaller batch
    {1, 2, 7, 9, 3, 2, 1},    // odd sizes
    {1, 1, 1, 1, 3, 2, 1},    // one pixel: the window holds only it
    {2, 2, 6, 5, 2, 2, 0},    // 2x2/2 without padding
    {1, 3, 8, 8, 3, 1, 1},    // stride 1: every pixel in up to nine windows
};

std::string name(const char* op, const MaxPoolShape& s) {
    return std::string(op) + " " + std::to_string(s.batch) + "x" + std::to_string(s.channels) + "x" +
           std::to_string(s.height) + "x" + std::to_string(s.width) + " k" + std::to_string(s.window) + "s" +
           std::to_string(s.stride) + "p" + std::to_string(s.pad);
}

}  // namespace

TEST_CASE("cpu max pool takes each window's maximum over the pixels inside the image", "[ops][max_pool]") {
    auto b = cpu_backend();
    for (const MaxPoolShape& s : kShapes) {
        const auto x = random_floats(s.in_size(), 1, -2, 1);  // mostly negative: padding must not count as 0
        Buffer X = put(*b, x), Y = poisoned(*b, s.out_size());
        b->max_pool_forward(s, X.data(), Y.data());
        INFO(name("max pool", s));
        CHECK(relative_max_error(get(*b, Y), max_pool(s, to_double(x))) == 0.0);
    }
    const MaxPoolShape bad{1, 1, 4, 4, 3, 2, 3};
    Buffer X = b->allocate(16), Y = b->allocate(16);
    CHECK_THROWS_WITH(b->max_pool_forward(bad, X.data(), Y.data()), Catch::Contains("smaller than the window"));
}

TEST_CASE("gradcheck: max pool backward is the gradient of <r, maxpool(x)>", "[gradcheck][max_pool]") {
    auto b = cpu_backend();
    for (const MaxPoolShape& s : kShapes) {
        // Distinct values spaced 0.01 apart (a permutation), so that no step of ±h changes a window's maximum.
        std::vector<float> x(s.in_size());
        for (std::size_t i = 0; i < x.size(); ++i) x[i] = 0.01f * float((i * 7919) % x.size()) - 1.0f;
        const auto r = random_floats(s.out_size(), 2);
        Buffer X = put(*b, x), Y = b->allocate(s.out_size()), R = put(*b, r), DX = poisoned(*b, s.in_size());
        b->max_pool_forward(s, X.data(), Y.data());
        b->max_pool_backward(s, X.data(), Y.data(), R.data(), DX.data());
        INFO(name("max pool backward", s));
        CHECK(relative_max_error(get(*b, DX), numeric_gradient([&](const Vec& v) { return project(max_pool(s, v), r); },
                                                               to_double(x), kH)) < kGradTolerance);
    }
}

TEST_CASE("gpu: max pool forward and backward match the CPU", "[gpu][max_pool]") {
    Pair p = backends();
    std::vector<MaxPoolShape> shapes(std::begin(kShapes), std::end(kShapes));
    shapes.push_back({64, 64, 16, 16, 3, 2, 1});  // ResNet-50's pool1 at batch 64
    for (const MaxPoolShape& s : shapes) {
        const auto x = random_floats(s.in_size(), 3, -2, 1), dy = random_floats(s.out_size(), 4);
        check_op(p, name("max pool", s), {x}, s.out_size(),
                 [s](OpBackend& be, const std::vector<Buffer>& in, float* y) { be.max_pool_forward(s, in[0].data(), y); });
        check_op(p, name("max pool backward", s), {x, dy}, s.in_size(),
                 [s](OpBackend& be, const std::vector<Buffer>& in, float* dx) {
                     Buffer y = be.allocate(s.out_size());
                     be.max_pool_forward(s, in[0].data(), y.data());
                     be.max_pool_backward(s, in[0].data(), y.data(), in[1].data(), dx);
                 });
    }
}
