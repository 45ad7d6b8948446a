// crop: a window of a C x H x W tensor copied out packed (forward) and added back into its place (backward,
// the adjoint). CPU exactly against the definition (copies and one float addition per element), the
// adjoint identity <crop(x), y> = <x, crop_backward(y)>, the window checks; the CUDA backend against the
// CPU (tolerance 0 would do: the shared tolerance is used).
#include <catch2/catch.hpp>

#include "op_checks.hpp"

using namespace nst;
using namespace nst::test;

namespace {

struct CropCase {
    int channels, height, width;
    CropWindow window;
};

const CropCase kCases[] = {{3, 37, 29, {5, 7, 20, 13}},  // interior, odd sizes
                           {8, 16, 16, {0, 0, 16, 16}},  // the whole tensor
                           {2, 9, 11, {8, 10, 1, 1}},    // the last element
                           {64, 40, 24, {0, 8, 40, 16}}};

std::size_t window_size(const CropCase& c) {
    return std::size_t(c.channels) * c.window.height * c.window.width;
}

}  // namespace

TEST_CASE("cpu crop copies the window and its backward adds it back in place", "[ops][crop]") {
    auto b = cpu_backend();
    for (const CropCase& c : kCases) {
        const std::size_t n = std::size_t(c.channels) * c.height * c.width, m = window_size(c);
        const auto x = random_floats(n, 11), dy = random_floats(m, 12), prior = random_floats(n, 13);
        Buffer X = put(*b, x), Y = poisoned(*b, m), DY = put(*b, dy), DX = put(*b, prior);
        b->crop_forward(c.channels, c.height, c.width, c.window, X.data(), Y.data());
        b->crop_backward(c.channels, c.height, c.width, c.window, DY.data(), DX.data());
        const auto y = get(*b, Y), dx = get(*b, DX);
        bool forward_exact = true, backward_exact = true;
        std::vector<float> want_dx = prior;
        std::size_t k = 0;
        for (int ch = 0; ch < c.channels; ++ch)
            for (int r = 0; r < c.window.height; ++r)
                for (int col = 0; col < c.window.width; ++col, ++k) {
                    const std::size_t src =
                        (std::size_t(ch) * c.height + c.window.top + r) * c.width + c.window.left + col;
                    forward_exact = forward_exact && y[k] == x[src];
                    want_dx[src] = prior[src] + dy[k];
                }
        for (std::size_t i = 0; i < n; ++i) backward_exact = backward_exact && dx[i] == want_dx[i];
        CHECK(forward_exact);
        CHECK(backward_exact);
    }
}

TEST_CASE("cpu crop_backward is the adjoint of crop_forward", "[ops][crop]") {
    auto b = cpu_backend();
    const CropCase c = kCases[0];
    const std::size_t n = std::size_t(c.channels) * c.height * c.width, m = window_size(c);
    const auto x = random_floats(n, 21), y = random_floats(m, 22);
    Buffer X = put(*b, x), CX = poisoned(*b, m), Y = put(*b, y), BY = b->allocate(n);
    b->fill(BY.data(), n, 0.0f);
    b->crop_forward(c.channels, c.height, c.width, c.window, X.data(), CX.data());
    b->crop_backward(c.channels, c.height, c.width, c.window, Y.data(), BY.data());
    double lhs = 0.0, rhs = 0.0;
    const auto cx = get(*b, CX), by = get(*b, BY);
    for (std::size_t i = 0; i < m; ++i) lhs += double(cx[i]) * y[i];
    for (std::size_t i = 0; i < n; ++i) rhs += double(x[i]) * by[i];
    CHECK(lhs == Approx(rhs).epsilon(1e-12));
}

TEST_CASE("crop refuses windows outside the tensor", "[ops][crop]") {
    auto b = cpu_backend();
    Buffer X = b->allocate(3 * 10 * 10), Y = b->allocate(3 * 10 * 10);
    for (const CropWindow w : {CropWindow{0, 0, 11, 1}, CropWindow{5, 0, 6, 10}, CropWindow{0, 9, 1, 2},
                               CropWindow{-1, 0, 1, 1}, CropWindow{0, 0, 0, 5}})
        CHECK_THROWS_WITH(b->crop_forward(3, 10, 10, w, X.data(), Y.data()),
                          Catch::Contains("is not inside 1x3x10x10"));
    CHECK_THROWS_WITH(b->crop_backward(3, 10, 10, CropWindow{0, 0, 11, 1}, X.data(), Y.data()),
                      Catch::StartsWith("crop: window 11x1 at (0, 0)"));
}

TEST_CASE("gpu: crop and its backward match the CPU", "[gpu][crop]") {
    Pair p = backends();
    for (const CropCase& c : kCases) {
        const std::size_t n = std::size_t(c.channels) * c.height * c.width, m = window_size(c);
        const std::string shape =
            std::to_string(c.channels) + "x" + std::to_string(c.height) + "x" + std::to_string(c.width);
        check_op(p, "crop " + shape, {random_floats(n, 31)}, m,
                 [c](OpBackend& be, const std::vector<Buffer>& in, float* y) {
                     be.crop_forward(c.channels, c.height, c.width, c.window, in[0].data(), y);
                 });
        check_op(p, "crop_backward " + shape, {random_floats(m, 32), random_floats(n, 33)}, n,
                 [c, n](OpBackend& be, const std::vector<Buffer>& in, float* dx) {
                     be.copy(in[1].data(), dx, n);
                     be.crop_backward(c.channels, c.height, c.width, c.window, in[0].data(), dx);
                 });
    }
}
