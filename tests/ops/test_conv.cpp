// conv: the 3x3 convolution (pad 1, stride 1) forward with bias and optional ReLU, and backward-data.
// CPU against the textbook convolution in double (1e-6 of the largest reference value: float32 sums of at
// most a few thousand products); backward-data by finite differences of <r, conv(x)> in double; the CUDA
// backend (cuDNN) against the CPU at test shapes, VGG-19's own channel counts and conv1_1 at 1024 px.
#include <catch2/catch.hpp>

#include <cstdio>

#include "nst/weights.hpp"
#include "op_checks.hpp"

using namespace nst;
using namespace nst::test;

namespace {

const ConvShape kCpuShapes[] = {
    {1, 3, 4, 5, 7},     // odd sizes, RGB input
    {2, 2, 5, 4, 3},     // batch 2
    {1, 1, 1, 1, 1},     // one pixel, one channel
    {1, 8, 16, 9, 6},    // wider
    {1, 16, 8, 33, 17},  // odd and wide
};

const ConvShape kGpuShapes[] = {
    {1, 3, 64, 37, 29},    // RGB input, odd sizes
    {1, 1, 1, 1, 1},       // one channel, one pixel
    {2, 16, 32, 17, 9},    // batch 2
    {1, 64, 128, 24, 32},  // VGG-like block boundary
    {1, 1, 8, 5, 3},       // one input channel
    // VGG-19's own channel counts, where cuDNN's search may pick FFT or Winograd algorithms (other rounding
    // than the CPU's direct sums): conv1_2 at 128 px, conv3_x at 256 px, conv4_2 at 256 px / conv5_1 at 512.
    {1, 64, 64, 128, 128},
    {1, 256, 256, 64, 64},
    {1, 512, 512, 32, 32},
};

// Inputs {x, w, b}: y = conv(x) + b, ReLU optional.
Op conv_forward_op(const ConvShape& s, bool relu) {
    return [s, relu](Backend& be, const std::vector<Buffer>& in, float* y) {
        be.conv_forward(s, in[0].data(), in[1].data(), in[2].data(), y, relu);
    };
}

// Inputs {w, dy}: dx.
Op conv_backward_op(const ConvShape& s) {
    return [s](Backend& be, const std::vector<Buffer>& in, float* dx) {
        be.conv_backward_data(s, in[0].data(), in[1].data(), dx);
    };
}

}  // namespace

TEST_CASE("cpu conv forward matches the textbook convolution, with and without ReLU", "[ops][conv]") {
    auto b = cpu_backend();
    for (const ConvShape& s : kCpuShapes)
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
    auto b = cpu_backend();
    for (const ConvShape& s : kCpuShapes) {
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
    auto b = cpu_backend();
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

TEST_CASE("cpu describe_conv names the method and the GEMM it runs", "[ops][conv]") {
    auto b = cpu_backend();
    CHECK(b->describe_conv(ConvShape{1, 3, 64, 32, 16}) ==
          "im2col + OpenBLAS SGEMM (64 x 27 x 512), backward-data SGEMM + col2im");
    // 128 x 9 x 300 floats per image row: 24 rows fit the 8 M-float column budget, 13 chunks cover 300.
    CHECK(b->describe_conv(ConvShape{1, 128, 2, 300, 300}) ==
          "im2col + OpenBLAS SGEMM (2 x 1152 x 7200, 13 row chunks), backward-data SGEMM + col2im");
}

TEST_CASE("gradcheck: conv backward-data is the gradient of <r, conv(x)>", "[gradcheck][conv]") {
    auto b = make_cpu_backend();
    const ConvShape s{1, 3, 4, 5, 6};
    const std::size_t xs = 3 * 5 * 6, ys = 4 * 5 * 6;
    const auto x = random_floats(xs, 30), w = random_floats(4 * 3 * 9, 31), bias = random_floats(4, 32),
               r = random_floats(ys, 33);
    Buffer W = put(*b, w), R = put(*b, r), DX = poisoned(*b, xs);
    b->conv_backward_data(s, W.data(), R.data(), DX.data());
    const Vec numeric = numeric_gradient(
        [&](const Vec& xv) { return project(conv3x3(s, xv, to_double(w), to_double(bias), false), r); }, to_double(x),
        kH);
    CHECK(relative_max_error(get(*b, DX), numeric) < kGradTolerance);
}

TEST_CASE("gpu: conv forward (cuDNN, fused and separate bias+ReLU) matches the CPU", "[gpu][conv]") {
    // Each path forced (the fused call wherever cuDNN runs it, even where its self-check disagrees, so that a
    // wrong fused result shows here), and the default choice.
    for (ConvFusion fusion : {ConvFusion::Fused, ConvFusion::Separate, ConvFusion::Auto}) {
        Pair p = backends(Precision::Fp32, GramMethod::Gemm, fusion);
        const char* tag = fusion == ConvFusion::Fused ? "fused " : fusion == ConvFusion::Separate ? "separate " : "";
        for (const ConvShape& s : kGpuShapes)
            for (bool relu : {false, true}) {
                const auto x = random_floats(in_size(s), 101),
                           w = random_floats(std::size_t(s.out_channels) * s.in_channels * 9, 102),
                           b = random_floats(std::size_t(s.out_channels), 103);
                check_op(p, std::string(tag) + conv_name(relu ? "conv+relu" : "conv", s), {x, w, b}, out_size(s),
                         conv_forward_op(s, relu));
            }
        for (const ConvShape& s : kGpuShapes)
            std::printf("%-32s %s\n", conv_name((std::string(tag) + "plan").c_str(), s).c_str(),
                        p.gpu->describe_conv(s).c_str());
    }
}

TEST_CASE("gpu: conv backward-data matches the CPU", "[gpu][conv]") {
    Pair p = backends();
    for (const ConvShape& s : kGpuShapes) {
        const auto w = random_floats(std::size_t(s.out_channels) * s.in_channels * 9, 104),
                   dy = random_floats(out_size(s), 105);
        check_op(p, conv_name("conv backward-data", s), {w, dy}, in_size(s), conv_backward_op(s));
    }
}

TEST_CASE("gpu: TF32 convolutions stay within 5e-3 of strict FP32 on the CPU", "[gpu][conv][tf32]") {
    Pair p = backends(Precision::Tf32);
    for (const ConvShape& s : {ConvShape{1, 64, 128, 24, 32}, ConvShape{1, 512, 512, 32, 32}}) {
        const auto x = random_floats(in_size(s), 106),
                   w = random_floats(std::size_t(s.out_channels) * s.in_channels * 9, 107),
                   b = random_floats(std::size_t(s.out_channels), 108),
                   dy = random_floats(out_size(s), 109);
        check_op(p, conv_name("tf32 conv+relu", s), {x, w, b}, out_size(s), conv_forward_op(s, true), 5e-3);
        check_op(p, conv_name("tf32 conv backward-data", s), {w, dy}, in_size(s), conv_backward_op(s), 5e-3);
        std::printf("%-32s %s\n", conv_name("tf32 plan", s).c_str(), p.gpu->describe_conv(s).c_str());
    }
}

// conv1_1 at 1024 px (64 x 1024 x 1024 outputs): index arithmetic and workspace sizes at production scale.
// Tolerance 1e-4: both sides accumulate the same 27 products per output, and an indexing error shows as O(1).
TEST_CASE("gpu: conv at a 1024 px pass's size (conv1_1, 67M outputs) matches the CPU", "[gpu][conv][large]") {
    constexpr double kLarge = 1e-4;
    Pair p = backends();
    const ConvShape s{1, 3, 64, 1024, 1024};  // conv1_1
    const auto x = random_floats(in_size(s), 131), w = random_floats(std::size_t(64) * 3 * 9, 132),
               b = random_floats(64, 133), dy = random_floats(out_size(s), 134);
    check_op(p, conv_name("conv+relu", s), {x, w, b}, out_size(s), conv_forward_op(s, true), kLarge);
    check_op(p, conv_name("conv backward-data", s), {w, dy}, in_size(s), conv_backward_op(s), kLarge);
}

// Every convolution of a 512 px pass (conv1_1 ... conv5_4) at its production shape, forward with ReLU and
// backward-data: the shapes the transfer runs, where cuDNN's heuristics pick the algorithms it will use.
// Tolerance 1e-4: up to 4608 products per output, summed in different orders (and possibly by FFT or
// Winograd) on each side; an indexing error shows as O(1).
TEST_CASE("gpu: every convolution of a 512 px pass matches the CPU, forward and backward-data", "[gpu][conv][large]") {
    constexpr double kProduction = 1e-4;
    Pair p = backends();
    int in = 3, side = 512;
    for (const Vgg19Layer& l : vgg19_layers()) {
        if (l.kind == LayerKind::Pool) side = (side + 1) / 2;
        if (l.kind != LayerKind::Conv) continue;
        const ConvShape s{1, in, l.out_channels, side, side};
        in = l.out_channels;
        const auto x = random_floats(in_size(s), 141), w = random_floats(std::size_t(s.out_channels) * s.in_channels * 9, 142),
                   b = random_floats(std::size_t(s.out_channels), 143), dy = random_floats(out_size(s), 144);
        check_op(p, l.name + " " + conv_name("conv+relu", s), {x, w, b}, out_size(s), conv_forward_op(s, true),
                 kProduction);
        check_op(p, l.name + " " + conv_name("conv backward-data", s), {w, dy}, in_size(s), conv_backward_op(s),
                 kProduction);
        std::printf("%-40s %s\n", (l.name + " plan").c_str(), p.gpu->describe_conv(s).c_str());
    }
}
