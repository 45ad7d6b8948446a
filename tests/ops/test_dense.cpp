// dense: y = x w + b (w: inputs x outputs, Keras's order), its input gradient and its weight and bias
// gradients (set or accumulated). CPU against the textbook sums in double (1e-6 of the largest value: float
// sums of at most 2048 products); every backward by finite differences; the CUDA backend (cuBLAS) against the
// CPU at non-square shapes (a transposition mix-up is silent when they are square) and at ResNet-50's
// predictions layer.
#include <catch2/catch.hpp>

#include "../support/reference_training.hpp"
#include "op_checks.hpp"

using namespace nst;
using namespace nst::test;

namespace {

struct Shape {
    int batch, inputs, outputs;
};
const Shape kShapes[] = {{3, 5, 7}, {64, 2048, 100}, {1, 1, 1}, {7, 3, 2}};

std::string name(const char* op, const Shape& s) {
    return std::string(op) + " " + std::to_string(s.batch) + "x" + std::to_string(s.inputs) + "->" + std::to_string(s.outputs);
}

// Inputs {x, dy, dw start, db start}; output [dw | db].
Op weights_op(const Shape& s, bool accumulate) {
    return [s, accumulate](OpBackend& be, const std::vector<Buffer>& in, float* out) {
        const std::size_t w = std::size_t(s.inputs) * s.outputs;
        be.copy(in[2].data(), out, w);
        be.copy(in[3].data(), out + w, std::size_t(s.outputs));
        be.dense_backward_weights(s.batch, s.inputs, s.outputs, in[0].data(), in[1].data(), out, out + w, accumulate);
    };
}

}  // namespace

TEST_CASE("cpu dense forward and backward match the textbook sums", "[ops][dense]") {
    auto b = cpu_backend();
    for (const Shape& s : kShapes)
        for (bool accumulate : {false, true}) {
            const std::size_t xs = std::size_t(s.batch) * s.inputs, ws = std::size_t(s.inputs) * s.outputs,
                              ys = std::size_t(s.batch) * s.outputs, bs = std::size_t(s.outputs);
            const auto x = random_floats(xs, 1), w = random_floats(ws, 2), bias = random_floats(bs, 3),
                       dy = random_floats(ys, 4), dw0 = random_floats(ws, 5), db0 = random_floats(bs, 6);
            Buffer X = put(*b, x), W = put(*b, w), B = put(*b, bias), DY = put(*b, dy), Y = poisoned(*b, ys),
                   DX = poisoned(*b, xs);
            b->dense_forward(s.batch, s.inputs, s.outputs, X.data(), W.data(), B.data(), Y.data());
            b->dense_backward_data(s.batch, s.inputs, s.outputs, W.data(), DY.data(), DX.data());
            const auto out = run(*b, {x, dy, dw0, db0}, ws + bs, weights_op(s, accumulate));
            // The gradients in double, straight from the definition.
            Vec dx(xs, 0.0), dw(ws, 0.0), db(bs, 0.0);
            for (std::size_t n = 0; n < std::size_t(s.batch); ++n)
                for (std::size_t o = 0; o < bs; ++o) {
                    const double g = dy[n * bs + o];
                    db[o] += g;
                    for (std::size_t i = 0; i < std::size_t(s.inputs); ++i) {
                        dx[n * s.inputs + i] += g * w[i * bs + o];
                        dw[i * bs + o] += g * x[n * s.inputs + i];
                    }
                }
            if (accumulate) {
                for (std::size_t k = 0; k < ws; ++k) dw[k] += dw0[k];
                for (std::size_t k = 0; k < bs; ++k) db[k] += db0[k];
            }
            dw.insert(dw.end(), db.begin(), db.end());
            INFO(name("dense", s) << " accumulate " << accumulate);
            CHECK(relative_max_error(get(*b, Y), dense(s.batch, s.inputs, s.outputs, to_double(x), to_double(w), to_double(bias))) <
                  1e-6);
            CHECK(relative_max_error(get(*b, DX), dx) < 1e-6);
            CHECK(relative_max_error(out, dw) < 1e-6);
        }
}

TEST_CASE("gradcheck: dense backward is the gradient of <r, x w + b>", "[gradcheck][dense]") {
    auto b = cpu_backend();
    const Shape s{3, 4, 5};
    const auto x = random_floats(12, 7), w = random_floats(20, 8), bias = random_floats(5, 9), r = random_floats(15, 10);
    Buffer W = put(*b, w), R = put(*b, r), DX = poisoned(*b, 12);
    b->dense_backward_data(3, 4, 5, W.data(), R.data(), DX.data());
    const auto gw = run(*b, {x, r, w, bias}, 25, weights_op(s, false));
    const Vec xd = to_double(x), wd = to_double(w), bd = to_double(bias);
    auto loss = [&](const Vec& xv, const Vec& wv, const Vec& bv) { return project(dense(3, 4, 5, xv, wv, bv), r); };
    CHECK(relative_max_error(get(*b, DX), numeric_gradient([&](const Vec& v) { return loss(v, wd, bd); }, xd, kH)) < kGradTolerance);
    CHECK(relative_max_error(std::vector<float>(gw.begin(), gw.begin() + 20),
                             numeric_gradient([&](const Vec& v) { return loss(xd, v, bd); }, wd, kH)) < kGradTolerance);
    CHECK(relative_max_error(std::vector<float>(gw.begin() + 20, gw.end()),
                             numeric_gradient([&](const Vec& v) { return loss(xd, wd, v); }, bd, kH)) < kGradTolerance);
}

TEST_CASE("gpu: dense forward and backward match the CPU", "[gpu][dense]") {
    Pair p = backends();
    for (const Shape& s : kShapes) {
        const std::size_t xs = std::size_t(s.batch) * s.inputs, ws = std::size_t(s.inputs) * s.outputs,
                          ys = std::size_t(s.batch) * s.outputs, bs = std::size_t(s.outputs);
        const auto x = random_floats(xs, 11), w = random_floats(ws, 12), bias = random_floats(bs, 13),
                   dy = random_floats(ys, 14), dw0 = random_floats(ws, 15), db0 = random_floats(bs, 16);
        check_op(p, name("dense", s), {x, w, bias}, ys, [s](OpBackend& be, const std::vector<Buffer>& in, float* y) {
            be.dense_forward(s.batch, s.inputs, s.outputs, in[0].data(), in[1].data(), in[2].data(), y);
        });
        check_op(p, name("dense backward-data", s), {w, dy}, xs, [s](OpBackend& be, const std::vector<Buffer>& in, float* dx) {
            be.dense_backward_data(s.batch, s.inputs, s.outputs, in[0].data(), in[1].data(), dx);
        });
        for (bool accumulate : {false, true})
            check_op(p, name(accumulate ? "dense backward-weights (accumulated)" : "dense backward-weights", s),
                     {x, dy, dw0, db0}, ws + bs, weights_op(s, accumulate));
    }
}
