// global_avg_pool: each (image, channel) plane's mean and its backward. CPU against the mean in double
// (1e-6: a float rounding of a double sum); the backward by finite differences; the CUDA kernel against the
// CPU.
#include <catch2/catch.hpp>

#include "../support/reference_training.hpp"
#include "op_checks.hpp"

using namespace nst;
using namespace nst::test;

namespace {

struct Shape {
    int batch, channels, pixels;
};
const Shape kShapes[] = {{2, 3, 5}, {64, 2048, 1}, {4, 16, 49}, {1, 1, 1}};

}  // namespace

TEST_CASE("cpu global average pool takes each plane's mean", "[ops][global_avg_pool]") {
    auto b = cpu_backend();
    for (const Shape& s : kShapes) {
        const std::size_t n = std::size_t(s.batch) * s.channels * s.pixels;
        const auto x = random_floats(n, 1);
        Buffer X = put(*b, x), Y = poisoned(*b, std::size_t(s.batch) * s.channels);
        b->global_avg_pool_forward(s.batch, s.channels, s.pixels, X.data(), Y.data());
        CHECK(relative_max_error(get(*b, Y), global_avg_pool(s.batch, s.channels, s.pixels, to_double(x))) < 1e-6);
    }
}

TEST_CASE("gradcheck: global average pool backward is the gradient of <r, mean(x)>", "[gradcheck][global_avg_pool]") {
    auto b = cpu_backend();
    const Shape s{2, 3, 5};
    const auto x = random_floats(30, 2), r = random_floats(6, 3);
    Buffer R = put(*b, r), DX = poisoned(*b, 30);
    b->global_avg_pool_backward(s.batch, s.channels, s.pixels, R.data(), DX.data());
    CHECK(relative_max_error(get(*b, DX), numeric_gradient([&](const Vec& v) { return project(global_avg_pool(2, 3, 5, v), r); },
                                                           to_double(x), kH)) < kGradTolerance);
}

TEST_CASE("gpu: global average pool forward and backward match the CPU", "[gpu][global_avg_pool]") {
    Pair p = backends();
    for (const Shape& s : kShapes) {
        const std::size_t planes = std::size_t(s.batch) * s.channels, n = planes * s.pixels;
        const std::string shape = std::to_string(s.batch) + "x" + std::to_string(s.channels) + "x" + std::to_string(s.pixels);
        check_op(p, "global avg pool " + shape, {random_floats(n, 4)}, planes,
                 [s](OpBackend& be, const std::vector<Buffer>& in, float* y) {
                     be.global_avg_pool_forward(s.batch, s.channels, s.pixels, in[0].data(), y);
                 });
        check_op(p, "global avg pool backward " + shape, {random_floats(planes, 5)}, n,
                 [s](OpBackend& be, const std::vector<Buffer>& in, float* dx) {
                     be.global_avg_pool_backward(s.batch, s.channels, s.pixels, in[0].data(), dx);
                 });
    }
}
