// Every op of the CPU backend against the textbook implementation in double (tests/support/reference_ops).
// Tolerances are relative to the largest reference value; float32 accumulation over at most a few thousand
// terms stays well inside them.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "../support/backend_io.hpp"
#include "../support/reference_ops.hpp"
#include "counter_rng.hpp"
#include "nst/backend.hpp"

using namespace nst;
using namespace nst::test;

namespace {

std::unique_ptr<Backend> cpu(GramMethod gram = GramMethod::Gemm, int threads = 0) {
    BackendOptions o;
    o.gram = gram;
    o.cpu_threads = threads;
    return make_cpu_backend(o);
}

const ConvShape kConvShapes[] = {
    {1, 3, 4, 5, 7},     // odd sizes, RGB input
    {2, 2, 5, 4, 3},     // batch 2
    {1, 1, 1, 1, 1},     // one pixel, one channel
    {1, 8, 16, 9, 6},    // wider
    {1, 16, 8, 33, 17},  // odd and wide
};

}  // namespace

TEST_CASE("cpu conv forward matches the textbook convolution, with and without ReLU", "[ops][conv]") {
    auto b = cpu();
    for (const ConvShape& s : kConvShapes)
        for (bool relu : {false, true}) {
            const std::size_t xs = std::size_t(s.batch) * s.in_channels * s.height * s.width;
            const auto x = random_floats(xs, 1), w = random_floats(std::size_t(s.out_channels) * s.in_channels * 9, 2),
                       bias = random_floats(std::size_t(s.out_channels), 3);
            Buffer X = put(*b, x), Wt = put(*b, w), B = put(*b, bias);
            Buffer Y = poisoned(*b, std::size_t(s.batch) * s.out_channels * s.height * s.width);
            b->conv_forward(s, X.data(), Wt.data(), B.data(), Y.data(), relu);
            const Vec ref = conv3x3(s, to_double(x), to_double(w), to_double(bias), relu);
            INFO("shape " << s.batch << "x" << s.in_channels << "x" << s.height << "x" << s.width << " -> "
                          << s.out_channels << " relu " << relu);
            CHECK(relative_max_error(get(*b, Y), ref) < 1e-6);
        }
}

TEST_CASE("cpu conv backward-data is the transposed convolution", "[ops][conv]") {
    auto b = cpu();
    for (const ConvShape& s : kConvShapes) {
        const std::size_t xs = std::size_t(s.batch) * s.in_channels * s.height * s.width;
        const std::size_t ys = std::size_t(s.batch) * s.out_channels * s.height * s.width;
        const auto w = random_floats(std::size_t(s.out_channels) * s.in_channels * 9, 4), dy = random_floats(ys, 5);
        Buffer Wt = put(*b, w), DY = put(*b, dy), DX = poisoned(*b, xs);
        b->conv_backward_data(s, Wt.data(), DY.data(), DX.data());
        CHECK(relative_max_error(get(*b, DX), conv3x3_transpose(s, to_double(w), to_double(dy))) < 1e-6);
    }
}

TEST_CASE("cpu conv gives the same result when its columns are processed in chunks", "[ops][conv]") {
    // 300x300 pixels with 128 input channels exceed the 8 M-float column budget: several GEMM chunks.
    auto b = cpu();
    const ConvShape s{1, 128, 2, 300, 300};
    const std::size_t xs = std::size_t(128) * 300 * 300;
    const auto x = random_floats(xs, 6), w = random_floats(128 * 2 * 9, 7), bias = random_floats(2, 8);
    Buffer X = put(*b, x), Wt = put(*b, w), B = put(*b, bias), Y = poisoned(*b, 2 * 300 * 300);
    b->conv_forward(s, X.data(), Wt.data(), B.data(), Y.data(), false);
    const auto y = get(*b, Y);
    // Spot-check pixels from every chunk against the textbook sum.
    for (std::size_t p :
         {std::size_t(0), std::size_t(301), std::size_t(45000), std::size_t(65600), std::size_t(89999)}) {
        const int h = static_cast<int>(p / 300), c = static_cast<int>(p % 300);
        for (int o = 0; o < 2; ++o) {
            double acc = bias[std::size_t(o)];
            for (int i = 0; i < 128; ++i)
                for (int kr = 0; kr < 3; ++kr)
                    for (int kc = 0; kc < 3; ++kc) {
                        const int hh = h + kr - 1, cc = c + kc - 1;
                        if (hh < 0 || hh >= 300 || cc < 0 || cc >= 300) continue;
                        acc += double(w[((std::size_t(o) * 128 + i) * 3 + kr) * 3 + kc]) *
                               x[(std::size_t(i) * 300 + hh) * 300 + cc];
                    }
            CHECK(y[std::size_t(o) * 90000 + p] == Approx(acc).epsilon(1e-5).margin(1e-5));
        }
    }
}

TEST_CASE("cpu relu backward passes the gradient where the output is positive", "[ops][relu]") {
    auto b = cpu();
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

TEST_CASE("cpu pooling follows TensorFlow's SAME padding at odd sizes", "[ops][pool]") {
    auto b = cpu();
    for (PoolMode mode : {PoolMode::Average, PoolMode::Max})
        for (auto [h, w] : {std::pair{4, 6}, std::pair{5, 7}, std::pair{1, 1}, std::pair{3, 2}, std::pair{9, 9}}) {
            const PoolShape s{2, 3, h, w, mode};
            const std::size_t xs = std::size_t(2) * 3 * h * w, ys = std::size_t(2) * 3 * s.out_height() * s.out_width();
            const auto x = random_floats(xs, 11), dy = random_floats(ys, 12);
            Buffer X = put(*b, x), Y = poisoned(*b, ys), DY = put(*b, dy), DX = poisoned(*b, xs);
            b->pool_forward(s, X.data(), Y.data());
            b->pool_backward(s, X.data(), Y.data(), DY.data(), DX.data());
            INFO((mode == PoolMode::Max ? "max " : "average ") << h << "x" << w);
            CHECK(relative_max_error(get(*b, Y), pool(s, to_double(x))) < 1e-6);
            CHECK(relative_max_error(get(*b, DX), pool_gradient(s, to_double(x), to_double(dy))) < 1e-6);
        }
    // 5x7 -> 3x4: the last row and column average over the pixels that exist (no zero padding counted).
    const PoolShape s{1, 1, 5, 7, PoolMode::Average};
    std::vector<float> ones(35, 1.0f);
    Buffer X = put(*b, ones), Y = poisoned(*b, 12);
    b->pool_forward(s, X.data(), Y.data());
    CHECK(get(*b, Y) == std::vector<float>(12, 1.0f));
}

TEST_CASE("cpu Gram matrices: SGEMM and SSYRK agree with the textbook, non-square shapes included", "[ops][gram]") {
    for (GramMethod method : {GramMethod::Gemm, GramMethod::Syrk}) {
        auto b = cpu(method);
        for (auto [C, M] : {std::pair{3, 17}, std::pair{16, 5}, std::pair{1, 9}, std::pair{33, 65}}) {
            const auto F = random_floats(std::size_t(C) * M, 13);
            Buffer FB = put(*b, F), G = poisoned(*b, std::size_t(C) * C);
            b->gram(FB.data(), C, M, G.data());
            INFO((method == GramMethod::Syrk ? "syrk " : "gemm ") << C << "x" << M);
            CHECK(relative_max_error(get(*b, G), gram(to_double(F), C, M)) < 1e-6);
        }
    }
}

TEST_CASE("cpu style loss: value and gradient, set and accumulated", "[ops][style]") {
    for (GramMethod method : {GramMethod::Gemm, GramMethod::Syrk}) {
        auto b = cpu(method);
        const int C = 6;
        const std::int64_t M = 23;
        const auto F = random_floats(std::size_t(C) * M, 14);
        const Vec A = to_double(random_floats(std::size_t(C) * M, 15));
        const Vec target = gram(A, C, M);
        const std::vector<float> target_f(target.begin(), target.end());
        const auto prior = random_floats(std::size_t(C) * M, 16);
        Buffer FB = put(*b, F), AB = put(*b, target_f), S = poisoned(*b, std::size_t(C) * C), L = poisoned(*b, 1),
               DF = put(*b, prior);
        b->style_loss(FB.data(), C, M, AB.data(), S.data(), 2.5f, L.data(), DF.data(), true);
        const double ref = style_loss(to_double(F), C, M, target, 2.5);
        CHECK(get_scalar(*b, L.data()) == Approx(ref).epsilon(1e-5));
        Vec expected = style_gradient(to_double(F), C, M, target, 2.5);
        for (std::size_t i = 0; i < expected.size(); ++i) expected[i] += prior[i];
        CHECK(relative_max_error(get(*b, DF), expected) < 1e-5);
        b->style_loss(FB.data(), C, M, AB.data(), S.data(), 2.5f, L.data(), DF.data(), false);
        CHECK(relative_max_error(get(*b, DF), style_gradient(to_double(F), C, M, target, 2.5)) < 1e-5);
    }
}

TEST_CASE("cpu content and total-variation losses", "[ops][content][tv]") {
    auto b = cpu();
    const int C = 4;
    const std::int64_t M = 35;
    const auto F = random_floats(std::size_t(C) * M, 17), P = random_floats(std::size_t(C) * M, 18);
    Buffer FB = put(*b, F), PB = put(*b, P), L = poisoned(*b, 1), DF = poisoned(*b, std::size_t(C) * M);
    b->content_loss(FB.data(), PB.data(), C, M, 5.0f, L.data(), DF.data(), false);
    CHECK(get_scalar(*b, L.data()) == Approx(content_loss(to_double(F), to_double(P), C, M, 5.0)).epsilon(1e-6));
    const auto df = get(*b, DF);
    for (std::size_t i = 0; i < df.size(); ++i)
        CHECK(df[i] == Approx(5.0 * (double(F[i]) - P[i]) / (2.0 * C * M)).epsilon(1e-6));

    const auto x = random_floats(2 * 5 * 7, 19);
    Buffer X = put(*b, x), TL = poisoned(*b, 1), DX = b->allocate(x.size());
    b->fill(DX.data(), x.size(), 0.0f);
    b->tv_loss(1, 2, 5, 7, X.data(), 0.5f, TL.data(), DX.data());
    CHECK(get_scalar(*b, TL.data()) == Approx(tv_loss(2, 5, 7, to_double(x), 0.5)).epsilon(1e-6));
}

TEST_CASE("cpu reductions are exact to double accumulation and independent of the thread count", "[ops][reduce]") {
    const std::size_t n = 100003;
    const auto a = random_floats(n, 20), c = random_floats(n, 21);
    double sq = 0, s = 0, d = 0;
    for (std::size_t i = 0; i < n; ++i) {
        sq += (double(a[i]) - c[i]) * (double(a[i]) - c[i]);
        s += a[i];
        d += double(a[i]) * c[i];
    }
    std::vector<float> results[2];
    for (int threads : {1, 2}) {
        auto b = cpu(GramMethod::Gemm, threads);
        Buffer A = put(*b, a), Cb = put(*b, c), out = poisoned(*b, 3);
        b->squared_difference_sum(A.data(), Cb.data(), n, out.data());
        b->sum(A.data(), n, out.data() + 1);
        b->dot(A.data(), Cb.data(), n, out.data() + 2);
        results[threads - 1] = get(*b, out);
    }
    CHECK(results[0][0] == Approx(sq).epsilon(1e-7));  // float rounding of a double sum
    CHECK(results[0][1] == Approx(s).epsilon(1e-7).margin(1e-6));
    CHECK(results[0][2] == Approx(d).epsilon(1e-7).margin(1e-6));
    CHECK(results[0] == results[1]);  // bit for bit
}

TEST_CASE("cpu axpy and scale", "[ops][vector]") {
    auto b = cpu();
    const auto x = random_floats(77, 22), y = random_floats(77, 23);
    Buffer X = put(*b, x), Y = put(*b, y);
    b->axpy(-1.5f, X.data(), Y.data(), 77);
    b->scale(0.25f, Y.data(), 77);
    const auto r = get(*b, Y);
    for (std::size_t i = 0; i < 77; ++i) CHECK(r[i] == (y[i] + -1.5f * x[i]) * 0.25f);
}

TEST_CASE("cpu Adam follows TensorFlow 1's and PyTorch's updates", "[ops][adam]") {
    auto b = cpu();
    for (AdamFlavor flavor : {AdamFlavor::TensorFlow1, AdamFlavor::PyTorch}) {
        AdamParams p;
        p.lr = 2.0f;
        p.flavor = flavor;
        const std::size_t n = 50;
        auto x = random_floats(n, 24, -100, 100);
        Vec xd = to_double(x), md(n, 0.0), vd(n, 0.0);
        Buffer X = put(*b, x), G = b->allocate(n), Mb = b->allocate(n), Vb = b->allocate(n);
        b->fill(Mb.data(), n, 0.0f);
        b->fill(Vb.data(), n, 0.0f);
        for (int t = 1; t <= 5; ++t) {
            const auto g = random_floats(n, 100 + t, -3, 3);
            b->upload(g.data(), G.data(), n);
            b->adam_step(X.data(), G.data(), Mb.data(), Vb.data(), n, t, p);
            const double b1 = p.beta1, b2 = p.beta2;
            for (std::size_t i = 0; i < n; ++i) {
                md[i] = b1 * md[i] + (1 - b1) * g[i];
                vd[i] = b2 * vd[i] + (1 - b2) * double(g[i]) * g[i];
                const double c1 = 1 - std::pow(b1, t), c2 = 1 - std::pow(b2, t);
                if (flavor == AdamFlavor::TensorFlow1)
                    xd[i] -= p.lr * std::sqrt(c2) / c1 * md[i] / (std::sqrt(vd[i]) + p.eps);
                else
                    xd[i] -= p.lr * (md[i] / c1) / (std::sqrt(vd[i] / c2) + p.eps);
            }
        }
        INFO((flavor == AdamFlavor::TensorFlow1 ? "TF1" : "PyTorch"));
        CHECK(relative_max_error(get(*b, X), xd) < 1e-6);
    }
    // Step 1 moves every element by lr (the bias-corrected m/sqrt(v) is ±1), TensorFlow-style.
    Buffer X = put(*b, {0.0f, 0.0f}), G = put(*b, {3.0f, -0.5f}), Mb = put(*b, {0.0f, 0.0f}),
           Vb = put(*b, {0.0f, 0.0f});
    b->adam_step(X.data(), G.data(), Mb.data(), Vb.data(), 2, 1, AdamParams{});
    const auto x1 = get(*b, X);
    CHECK(x1[0] == Approx(-2.0f).epsilon(1e-6));
    CHECK(x1[1] == Approx(2.0f).epsilon(1e-6));
    CHECK_THROWS_WITH(b->adam_step(X.data(), G.data(), Mb.data(), Vb.data(), 2, 0, AdamParams{}),
                      Catch::Contains("steps count from 1"));
}

TEST_CASE("cpu image ops: exact round trip, clamping and rounding", "[ops][image]") {
    auto b = cpu();
    const float mean[3] = {123.68f, 116.779f, 103.939f};
    std::vector<std::uint8_t> rgb(4 * 3 * 3);
    for (std::size_t i = 0; i < rgb.size(); ++i) rgb[i] = static_cast<std::uint8_t>(i * 7 % 256);
    Buffer X = poisoned(*b, 36);
    b->image_to_tensor(rgb.data(), 4, 3, mean, X.data());
    const auto x = get(*b, X);
    CHECK(x[0] == float(rgb[0]) - mean[0]);   // R plane first (NCHW)
    CHECK(x[12] == float(rgb[1]) - mean[1]);  // G plane
    CHECK(x[24 + 5] == float(rgb[5 * 3 + 2]) - mean[2]);
    std::vector<std::uint8_t> back(rgb.size());
    b->tensor_to_image(X.data(), 4, 3, mean, back.data());
    CHECK(back == rgb);

    const float zero[3] = {0, 0, 0};
    Buffer V = put(*b, {-3.0f, 300.0f, 10.49f, 10.5f, 254.5f, 0.49f});
    std::vector<std::uint8_t> px(6);
    b->tensor_to_image(V.data(), 1, 2, zero, px.data());  // 1x2 pixels, 3 planes of 2
    // Planes R (-3, 300), G (10.49, 10.5), B (254.5, 0.49) -> pixels (0, 10, 255) and (255, 11, 0).
    CHECK(px == std::vector<std::uint8_t>{0, 10, 255, 255, 11, 0});
}

TEST_CASE("cpu noise initialisation is the notebook's blend, seeded", "[ops][image]") {
    auto b = cpu();
    const std::size_t n = 30000;
    std::vector<float> zeros(n, 0.0f);
    Buffer C = put(*b, zeros), N1 = poisoned(*b, n), N2 = poisoned(*b, n), N3 = poisoned(*b, n);
    b->noise_init(C.data(), n, 42, 1.0f, N1.data());
    b->noise_init(C.data(), n, 42, 1.0f, N2.data());
    b->noise_init(C.data(), n, 43, 1.0f, N3.data());
    const auto a = get(*b, N1);
    CHECK(a == get(*b, N2));
    CHECK(a != get(*b, N3));
    double mean = 0, lo = 1e9, hi = -1e9;
    for (float v : a) {
        mean += v;
        lo = std::min(lo, double(v));
        hi = std::max(hi, double(v));
    }
    mean /= n;
    CHECK(std::abs(mean) < 0.3);  // uniform(-20, 20): std of the mean 11.5/sqrt(30000) = 0.067
    CHECK(lo >= -20.0);
    CHECK(hi < 20.0);
    CHECK(hi > 19.9);
    // 0.7 noise + 0.3 content, exactly as computed in double and rounded once.
    const auto content = random_floats(n, 25, -120, 130);
    Buffer CC = put(*b, content), OUT = poisoned(*b, n);
    b->noise_init(CC.data(), n, 42, 0.7f, OUT.data());
    const auto blended = get(*b, OUT);
    for (std::size_t i = 0; i < n; i += 997) {
        const double noise = -20.0 + 40.0 * rng::uniform24(rng::hash(42, 0, i));
        CHECK(blended[i] == static_cast<float>(double(0.7f) * noise + (1.0 - double(0.7f)) * content[i]));
    }
}

TEST_CASE("cpu describe_conv names the method and the GEMM it runs", "[ops][conv]") {
    auto b = cpu();
    CHECK(b->describe_conv(ConvShape{1, 3, 64, 32, 16}) ==
          "im2col + OpenBLAS SGEMM (64 x 27 x 512), backward-data SGEMM + col2im");
    // 128 x 9 x 300 floats per image row: 24 rows fit the 8 M-float column budget, 13 chunks cover 300.
    CHECK(b->describe_conv(ConvShape{1, 128, 2, 300, 300}) ==
          "im2col + OpenBLAS SGEMM (2 x 1152 x 7200, 13 row chunks), backward-data SGEMM + col2im");
}
