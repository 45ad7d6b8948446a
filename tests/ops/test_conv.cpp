// conv: 2-D convolution (any kernel, stride and zero padding) forward with bias and optional ReLU,
// backward-data, backward-filter and the bias gradient. CPU against the textbook convolution in double
// (1e-6 of the largest reference value: float32 sums of at most a few thousand products); every backward by
// finite differences of <r, conv(x, w) + b> in double; the CUDA backend (cuDNN) against the CPU at test
// shapes, ResNet-50's and VGG-19's own shapes, and conv1_1 at 1024 px.
#include <catch2/catch.hpp>

#include <cstdio>

#include "conv_shapes.hpp"
#include "nst/weights.hpp"
#include "op_checks.hpp"

using namespace nst;
using namespace nst::test;

namespace {

// GPU against CPU: 1e-5 where cuDNN sums directly; 1e-4 at 64 input channels and more (VGG-19's counts),
// where its search may pick FFT or Winograd, whose rounding differs from direct sums (the production-size
// cases below use 1e-4 for the same reason).
double gpu_conv_tolerance(const ConvShape& s) {
    return s.in_channels >= 64 ? 1e-4 : kStrict;
}

// Inputs {x, w, b}: y = conv(x) + b, ReLU optional.
Op conv_forward_op(const ConvShape& s, bool relu) {
    return [s, relu](OpBackend& be, const std::vector<Buffer>& in, float* y) {
        be.conv_forward(s, in[0].data(), in[1].data(), in[2].data(), y, relu);
    };
}

// Inputs {w, dy}: dx.
Op conv_backward_op(const ConvShape& s) {
    return [s](OpBackend& be, const std::vector<Buffer>& in, float* dx) {
        be.conv_backward_data(s, in[0].data(), in[1].data(), dx);
    };
}

// Inputs {x, dy, start}: dw = start + the filter gradient (accumulate) or the gradient alone.
Op conv_filter_op(const ConvShape& s, bool accumulate) {
    return [s, accumulate](OpBackend& be, const std::vector<Buffer>& in, float* dw) {
        be.copy(in[2].data(), dw, s.filter_size());
        be.conv_backward_filter(s, in[0].data(), in[1].data(), dw, accumulate);
    };
}

// Inputs {dy, start}: db = start + the bias gradient (accumulate) or the gradient alone.
Op conv_bias_op(const ConvShape& s, bool accumulate) {
    return [s, accumulate](OpBackend& be, const std::vector<Buffer>& in, float* db) {
        be.copy(in[1].data(), db, std::size_t(s.out_channels));
        be.conv_backward_bias(s, in[0].data(), db, accumulate);
    };
}

// `start` plus `g` (accumulate) or `g` alone, as the accumulate flag promises.
Vec expected(const Vec& g, const std::vector<float>& start, bool accumulate) {
    Vec e = g;
    if (accumulate)
        for (std::size_t i = 0; i < e.size(); ++i) e[i] += start[i];
    return e;
}

std::string shape_info(const ConvShape& s) {
    return conv_name("conv", s);
}

}  // namespace

TEST_CASE("cpu conv forward matches the textbook convolution, with and without ReLU", "[ops][conv]") {
    auto b = cpu_backend();
    for (const ConvShape& s : kCpuConvShapes)
        for (bool relu : {false, true}) {
            const auto x = random_floats(s.in_size(), 1), w = random_floats(s.filter_size(), 2),
                       bias = random_floats(std::size_t(s.out_channels), 3);
            Buffer X = put(*b, x), Wt = put(*b, w), B = put(*b, bias), Y = poisoned(*b, s.out_size());
            b->conv_forward(s, X.data(), Wt.data(), B.data(), Y.data(), relu);
            INFO(shape_info(s) << " relu " << relu);
            CHECK(relative_max_error(get(*b, Y), conv2d(s, to_double(x), to_double(w), to_double(bias), relu)) < 1e-6);
        }
}

TEST_CASE("cpu conv backward-data is the transposed convolution", "[ops][conv]") {
    auto b = cpu_backend();
    for (const ConvShape& s : kCpuConvShapes) {
        const auto w = random_floats(s.filter_size(), 4), dy = random_floats(s.out_size(), 5);
        Buffer Wt = put(*b, w), DY = put(*b, dy), DX = poisoned(*b, s.in_size());
        b->conv_backward_data(s, Wt.data(), DY.data(), DX.data());
        INFO(shape_info(s));
        CHECK(relative_max_error(get(*b, DX), conv2d_transpose(s, to_double(w), to_double(dy))) < 1e-6);
    }
}

TEST_CASE("cpu conv backward-filter and bias gradient match the textbook sums, set or accumulated", "[ops][conv]") {
    auto b = cpu_backend();
    for (const ConvShape& s : kCpuConvShapes)
        for (bool accumulate : {false, true}) {
            const auto x = random_floats(s.in_size(), 6), dy = random_floats(s.out_size(), 7),
                       dw0 = random_floats(s.filter_size(), 8), db0 = random_floats(std::size_t(s.out_channels), 9);
            Buffer X = put(*b, x), DY = put(*b, dy), DW = put(*b, dw0), DB = put(*b, db0);
            b->conv_backward_filter(s, X.data(), DY.data(), DW.data(), accumulate);
            b->conv_backward_bias(s, DY.data(), DB.data(), accumulate);
            INFO(shape_info(s) << " accumulate " << accumulate);
            const Vec dw = conv2d_filter_gradient(s, to_double(x), to_double(dy));
            CHECK(relative_max_error(get(*b, DW), expected(dw, dw0, accumulate)) < 1e-6);
            CHECK(relative_max_error(get(*b, DB), expected(conv2d_bias_gradient(s, to_double(dy)), db0, accumulate)) <
                  1e-6);
        }
}

TEST_CASE("cpu conv gives the same result when its columns are processed in chunks", "[ops][conv]") {
    // 300x300 pixels with 128 input channels exceed the 8 M-float column budget: several chunks of rows
    // within the image. Spot checks against the textbook sum.
    auto b = cpu_backend();
    const ConvShape s{1, 128, 2, 300, 300};
    const auto x = random_floats(s.in_size(), 6), w = random_floats(s.filter_size(), 7), bias = random_floats(2, 8);
    Buffer X = put(*b, x), Wt = put(*b, w), B = put(*b, bias), Y = poisoned(*b, s.out_size());
    b->conv_forward(s, X.data(), Wt.data(), B.data(), Y.data(), false);
    const auto y = get(*b, Y);
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

TEST_CASE("cpu conv over chunks of whole images matches the textbook sums in every direction", "[ops][conv]") {
    // 576 column rows x 32 pixels per output row: 455 rows fit the budget, so 14 images (of 32 rows) per chunk
    // and a second chunk of 6; each chunk's output is gathered through the matrix scratch.
    auto b = cpu_backend();
    const ConvShape s{20, 64, 3, 32, 32};
    REQUIRE(b->describe_conv(s) == "im2col + OpenBLAS SGEMM (3 x 576 x 14336, 2 row chunks), backward-data SGEMM + col2im");
    const auto x = random_floats(s.in_size(), 11), w = random_floats(s.filter_size(), 12), bias = random_floats(3, 13),
               dy = random_floats(s.out_size(), 14);
    Buffer X = put(*b, x), Wt = put(*b, w), B = put(*b, bias), DY = put(*b, dy);
    Buffer Y = poisoned(*b, s.out_size()), DX = poisoned(*b, s.in_size()), DW = poisoned(*b, s.filter_size());
    b->conv_forward(s, X.data(), Wt.data(), B.data(), Y.data(), true);
    b->conv_backward_data(s, Wt.data(), DY.data(), DX.data());
    b->conv_backward_filter(s, X.data(), DY.data(), DW.data(), false);
    CHECK(relative_max_error(get(*b, Y), conv2d(s, to_double(x), to_double(w), to_double(bias), true)) < 1e-6);
    CHECK(relative_max_error(get(*b, DX), conv2d_transpose(s, to_double(w), to_double(dy))) < 1e-6);
    CHECK(relative_max_error(get(*b, DW), conv2d_filter_gradient(s, to_double(x), to_double(dy))) < 1e-6);
}

TEST_CASE("cpu describe_conv names the method and the GEMM it runs", "[ops][conv]") {
    auto b = cpu_backend();
    CHECK(b->describe_conv(ConvShape{1, 3, 64, 32, 16}) ==
          "im2col + OpenBLAS SGEMM (64 x 27 x 512), backward-data SGEMM + col2im");
    // 128 x 9 x 300 floats per image row: 24 rows fit the 8 M-float column budget, 13 chunks cover 300.
    CHECK(b->describe_conv(ConvShape{1, 128, 2, 300, 300}) ==
          "im2col + OpenBLAS SGEMM (2 x 1152 x 7200, 13 row chunks), backward-data SGEMM + col2im");
    // ResNet-50's conv1 at batch 64: 7x7 stride 2 on 32x32 gives 16x16, all 64 images in one GEMM.
    CHECK(b->describe_conv(ConvShape{64, 3, 64, 32, 32, 7, 2, 3}) ==
          "im2col + OpenBLAS SGEMM (64 x 147 x 16384), backward-data SGEMM + col2im");
}

TEST_CASE("gradcheck: conv backward-data, backward-filter and bias are the gradients of <r, conv(x, w) + b>",
          "[gradcheck][conv]") {
    auto b = make_cpu_op_backend();
    for (const ConvShape& s : {ConvShape{1, 3, 4, 5, 6}, ConvShape{2, 3, 2, 7, 6, 3, 2, 1}, ConvShape{1, 2, 3, 9, 8, 7, 2, 3},
                               ConvShape{2, 4, 3, 4, 5, 1, 2, 0}}) {
        const auto x = random_floats(s.in_size(), 30), w = random_floats(s.filter_size(), 31),
                   bias = random_floats(std::size_t(s.out_channels), 32), r = random_floats(s.out_size(), 33);
        Buffer X = put(*b, x), W = put(*b, w), R = put(*b, r), DX = poisoned(*b, s.in_size()),
               DW = poisoned(*b, s.filter_size()), DB = poisoned(*b, std::size_t(s.out_channels));
        b->conv_backward_data(s, W.data(), R.data(), DX.data());
        b->conv_backward_filter(s, X.data(), R.data(), DW.data(), false);
        b->conv_backward_bias(s, R.data(), DB.data(), false);
        const Vec xd = to_double(x), wd = to_double(w), bd = to_double(bias);
        INFO(shape_info(s));
        CHECK(relative_max_error(get(*b, DX), numeric_gradient([&](const Vec& v) { return project(conv2d(s, v, wd, bd, false), r); },
                                                               xd, kH)) < kGradTolerance);
        CHECK(relative_max_error(get(*b, DW), numeric_gradient([&](const Vec& v) { return project(conv2d(s, xd, v, bd, false), r); },
                                                               wd, kH)) < kGradTolerance);
        CHECK(relative_max_error(get(*b, DB), numeric_gradient([&](const Vec& v) { return project(conv2d(s, xd, wd, v, false), r); },
                                                               bd, kH)) < kGradTolerance);
    }
}

TEST_CASE("gpu: conv forward (cuDNN, fused and separate bias+ReLU) matches the CPU", "[gpu][conv]") {
    // Each path forced (the fused call wherever cuDNN runs it, even where its self-check disagrees, so that a
    // wrong fused result shows here), and the default choice.
    for (ConvFusion fusion : {ConvFusion::Fused, ConvFusion::Separate, ConvFusion::Auto}) {
        Pair p = backends(Precision::Fp32, GramMethod::Gemm, fusion);
        const char* tag = fusion == ConvFusion::Fused ? "fused " : fusion == ConvFusion::Separate ? "separate " : "";
        for (const ConvShape& s : gpu_conv_shapes())
            for (bool relu : {false, true}) {
                const auto x = random_floats(s.in_size(), 101), w = random_floats(s.filter_size(), 102),
                           b = random_floats(std::size_t(s.out_channels), 103);
                check_op(p, std::string(tag) + conv_name(relu ? "conv+relu" : "conv", s), {x, w, b}, s.out_size(),
                         conv_forward_op(s, relu), gpu_conv_tolerance(s));
            }
        for (const ConvShape& s : gpu_conv_shapes())
            std::printf("%-32s %s\n", conv_name((std::string(tag) + "plan").c_str(), s).c_str(),
                        p.gpu->describe_conv(s).c_str());
    }
}

TEST_CASE("gpu: conv backward-data, backward-filter and bias gradient match the CPU", "[gpu][conv]") {
    Pair p = backends();
    for (const ConvShape& s : gpu_conv_shapes()) {
        const auto x = random_floats(s.in_size(), 104), w = random_floats(s.filter_size(), 105),
                   dy = random_floats(s.out_size(), 106), dw0 = random_floats(s.filter_size(), 107),
                   db0 = random_floats(std::size_t(s.out_channels), 108);
        check_op(p, conv_name("conv backward-data", s), {w, dy}, s.in_size(), conv_backward_op(s),
                 gpu_conv_tolerance(s));
        for (bool accumulate : {false, true}) {
            const char* how = accumulate ? " (accumulated)" : "";
            check_op(p, conv_name("conv backward-filter", s) + how, {x, dy, dw0}, s.filter_size(),
                     conv_filter_op(s, accumulate), gpu_conv_tolerance(s));
            check_op(p, conv_name("conv bias gradient", s) + how, {dy, db0}, std::size_t(s.out_channels),
                     conv_bias_op(s, accumulate));
        }
    }
}

// Every convolution of ResNet-50 at the notebook's batch 64 and 32x32 input, all three directions: the shapes
// training runs (batch 2 on the emulated device). Tolerance 1e-4: up to 4608 products per output (backward-filter: 64 x 64 = 4096 pixels
// summed per weight), summed in different orders on each side; an indexing error shows as O(1).
TEST_CASE("gpu: every convolution of ResNet-50 at batch 64 matches the CPU in all three directions",
          "[gpu][conv][resnet]") {
    constexpr double kProduction = 1e-4;
    Pair p = backends();
    for (const ConvShape& s : resnet50_conv_shapes(gpu_size(64, 2))) {
        const auto x = random_floats(s.in_size(), 151), w = random_floats(s.filter_size(), 152),
                   b = random_floats(std::size_t(s.out_channels), 153), dy = random_floats(s.out_size(), 154);
        const std::vector<float> zero_w(s.filter_size(), 0.0f);
        check_op(p, conv_name("resnet conv+relu", s), {x, w, b}, s.out_size(), conv_forward_op(s, true), kProduction);
        check_op(p, conv_name("resnet conv backward-data", s), {w, dy}, s.in_size(), conv_backward_op(s), kProduction);
        check_op(p, conv_name("resnet conv backward-filter", s), {x, dy, zero_w}, s.filter_size(),
                 conv_filter_op(s, false), kProduction);
        std::printf("%-40s %s\n", conv_name("resnet plan", s).c_str(), p.gpu->describe_conv(s).c_str());
    }
}

TEST_CASE("gpu: TF32 convolutions stay within 5e-3 of strict FP32 on the CPU", "[gpu][conv][tf32]") {
    Pair p = backends(Precision::Tf32);
    const int side = gpu_size(32, 4), batch = gpu_size(64, 2);  // reduced on the emulated device
    for (const ConvShape& s : {ConvShape{1, 64, 128, 24, 32}, ConvShape{1, 512, 512, side, side},
                               ConvShape{batch, 256, 512, 8, 8, 1, 2, 0}}) {
        const auto x = random_floats(s.in_size(), 106), w = random_floats(s.filter_size(), 107),
                   b = random_floats(std::size_t(s.out_channels), 108), dy = random_floats(s.out_size(), 109);
        const std::vector<float> zero_w(s.filter_size(), 0.0f);
        check_op(p, conv_name("tf32 conv+relu", s), {x, w, b}, s.out_size(), conv_forward_op(s, true), 5e-3);
        check_op(p, conv_name("tf32 conv backward-data", s), {w, dy}, s.in_size(), conv_backward_op(s), 5e-3);
        check_op(p, conv_name("tf32 conv backward-filter", s), {x, dy, zero_w}, s.filter_size(),
                 conv_filter_op(s, false), 5e-3);
        std::printf("%-32s %s\n", conv_name("tf32 plan", s).c_str(), p.gpu->describe_conv(s).c_str());
    }
}

// conv1_1 at 1024 px (64 x 1024 x 1024 outputs): index arithmetic and workspace sizes at production scale
// (96 px on the emulated device).
// Tolerance 1e-4: both sides accumulate the same 27 products per output, and an indexing error shows as O(1).
TEST_CASE("gpu: conv at a 1024 px pass's size (conv1_1, 67M outputs) matches the CPU", "[gpu][conv][large]") {
    constexpr double kLarge = 1e-4;
    Pair p = backends();
    const int side = gpu_size(1024, 96);
    const ConvShape s{1, 3, 64, side, side};  // conv1_1
    const auto x = random_floats(s.in_size(), 131), w = random_floats(s.filter_size(), 132), b = random_floats(64, 133),
               dy = random_floats(s.out_size(), 134);
    check_op(p, conv_name("conv+relu", s), {x, w, b}, s.out_size(), conv_forward_op(s, true), kLarge);
    check_op(p, conv_name("conv backward-data", s), {w, dy}, s.in_size(), conv_backward_op(s), kLarge);
}

// Every convolution of a 512 px pass (conv1_1 ... conv5_4) at its production shape (32 px on the emulated
// device), forward with ReLU and backward-data: the shapes the transfer runs, where cuDNN's heuristics pick the algorithms it will use.
// Tolerance 1e-4: up to 4608 products per output, summed in different orders (and possibly by FFT or
// Winograd) on each side; an indexing error shows as O(1).
TEST_CASE("gpu: every convolution of a 512 px pass matches the CPU, forward and backward-data", "[gpu][conv][large]") {
    constexpr double kProduction = 1e-4;
    Pair p = backends();
    int in = 3, side = gpu_size(512, 32);
    for (const Vgg19Layer& l : vgg19_layers()) {
        if (l.kind == LayerKind::Pool) side = (side + 1) / 2;
        if (l.kind != LayerKind::Conv) continue;
        const ConvShape s{1, in, l.out_channels, side, side};
        in = l.out_channels;
        const auto x = random_floats(s.in_size(), 141), w = random_floats(s.filter_size(), 142),
                   b = random_floats(std::size_t(s.out_channels), 143), dy = random_floats(s.out_size(), 144);
        check_op(p, l.name + " " + conv_name("conv+relu", s), {x, w, b}, s.out_size(), conv_forward_op(s, true),
                 kProduction);
        check_op(p, l.name + " " + conv_name("conv backward-data", s), {w, dy}, s.in_size(), conv_backward_op(s),
                 kProduction);
        std::printf("%-40s %s\n", (l.name + " plan").c_str(), p.gpu->describe_conv(s).c_str());
    }
}
