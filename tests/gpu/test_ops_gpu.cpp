// Every CUDA op against its CPU twin on fresh seeded random inputs: several shapes, odd sizes and a
// 1-channel case; outputs poisoned with NaN before each run; ‖gpu−cpu‖/‖cpu‖ and the worst element printed;
// and two GPU runs compared bit for bit. Tolerance 1e-5 (relative L2) in strict FP32 for every op; TF32
// convolutions get 5e-3 (TF32 keeps 10 mantissa bits: ~1e-3 relative per product).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>

#include "../support/backend_io.hpp"
#include "../support/reference_ops.hpp"
#include "nst/backend.hpp"

using namespace nst;
using namespace nst::test;

namespace {

constexpr double kStrict = 1e-5;

struct Pair {
    std::unique_ptr<Backend> gpu;
    std::unique_ptr<Backend> cpu;
};

Pair backends(Precision precision = Precision::Fp32, GramMethod gram = GramMethod::Gemm) {
    BackendOptions o;
    o.precision = precision;
    o.gram = gram;
    return {make_cuda_backend(o), make_cpu_backend(o)};
}

// ‖gpu − cpu‖ / ‖cpu‖ (0/0 = 0), printing it and the worst element.
double compare(const std::string& what, const std::vector<float>& gpu, const std::vector<float>& cpu) {
    REQUIRE(gpu.size() == cpu.size());
    double diff = 0.0, norm = 0.0, worst = -1.0;
    std::size_t at = 0;
    for (std::size_t i = 0; i < cpu.size(); ++i) {
        const double d = double(gpu[i]) - cpu[i];
        if (std::isnan(d)) {
            worst = INFINITY;
            at = i;
            diff = INFINITY;
            break;
        }
        diff += d * d;
        norm += double(cpu[i]) * cpu[i];
        if (std::abs(d) > worst) {
            worst = std::abs(d);
            at = i;
        }
    }
    const double rel = norm > 0 ? std::sqrt(diff / norm) : std::sqrt(diff);
    std::printf("%-58s rel %.2e  worst |d| %.2e at %zu (gpu %.8g, cpu %.8g)\n", what.c_str(), rel, worst, at,
                double(gpu[at]), double(cpu[at]));
    return rel;
}

bool bit_identical(const std::vector<float>& a, const std::vector<float>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

std::string conv_name(const char* op, const ConvShape& s) {
    return std::string(op) + " " + std::to_string(s.batch) + "x" + std::to_string(s.in_channels) + "x" +
           std::to_string(s.height) + "x" + std::to_string(s.width) + "->" + std::to_string(s.out_channels);
}

const ConvShape kShapes[] = {
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

std::size_t in_size(const ConvShape& s) {
    return std::size_t(s.batch) * s.in_channels * s.height * s.width;
}
std::size_t out_size(const ConvShape& s) {
    return std::size_t(s.batch) * s.out_channels * s.height * s.width;
}

// Runs `op` on a backend with inputs uploaded and the output poisoned; returns the output.
using Op = std::function<void(Backend&, const std::vector<Buffer>&, float* out)>;
std::vector<float> run(Backend& b, const std::vector<std::vector<float>>& inputs, std::size_t out_count, const Op& op) {
    std::vector<Buffer> in;
    for (const auto& v : inputs) in.push_back(put(b, v));
    Buffer out = poisoned(b, out_count);
    op(b, in, out.data());
    return get(b, out);
}

// GPU vs CPU, and GPU twice bit for bit.
void check_op(Pair& p, const std::string& name, const std::vector<std::vector<float>>& inputs, std::size_t out_count,
              const Op& op, double tolerance = kStrict) {
    const auto cpu = run(*p.cpu, inputs, out_count, op);
    const auto gpu1 = run(*p.gpu, inputs, out_count, op);
    const auto gpu2 = run(*p.gpu, inputs, out_count, op);
    INFO(name);
    CHECK(compare(name, gpu1, cpu) <= tolerance);
    CHECK(bit_identical(gpu1, gpu2));
}

// The ops checked in more than one test case, as check_op takes them.
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
// Inputs {y, dy}: dx.
Op relu_backward_op(std::size_t n) {
    return [n](Backend& be, const std::vector<Buffer>& in, float* dx) {
        be.relu_backward(in[0].data(), in[1].data(), dx, n);
    };
}
// Inputs {a, b}: Σ(a−b)², Σa, Σab.
Op reductions_op(std::size_t n) {
    return [n](Backend& be, const std::vector<Buffer>& in, float* out) {
        be.squared_difference_sum(in[0].data(), in[1].data(), n, out);
        be.sum(in[0].data(), n, out + 1);
        be.dot(in[0].data(), in[1].data(), n, out + 2);
    };
}

// Pooling forward, and backward after a forward, on seeded inputs (seed, seed + 1).
void check_pool(Pair& p, const PoolShape& s, std::uint64_t seed) {
    const std::size_t xs = std::size_t(s.batch) * s.channels * s.height * s.width,
                      ys = std::size_t(s.batch) * s.channels * s.out_height() * s.out_width();
    const auto x = random_floats(xs, seed), dy = random_floats(ys, seed + 1);
    const std::string tag = std::string(s.mode == PoolMode::Max ? "max" : "avg") + " pool " +
                            std::to_string(s.channels) + "x" + std::to_string(s.height) + "x" + std::to_string(s.width);
    check_op(p, tag + " forward", {x}, ys, [&](Backend& be, const std::vector<Buffer>& in, float* y) {
        be.pool_forward(s, in[0].data(), y);
    });
    check_op(p, tag + " backward", {x, dy}, xs, [&](Backend& be, const std::vector<Buffer>& in, float* dx) {
        Buffer y = be.allocate(ys);
        be.pool_forward(s, in[0].data(), y.data());
        be.pool_backward(s, in[0].data(), y.data(), in[1].data(), dx);
        be.synchronize();
    });
}

}  // namespace

TEST_CASE("gpu: conv forward (cuDNN, fused bias+ReLU where chosen) matches the CPU", "[gpu][conv]") {
    Pair p = backends();
    for (const ConvShape& s : kShapes)
        for (bool relu : {false, true}) {
            const auto x = random_floats(in_size(s), 101),
                       w = random_floats(std::size_t(s.out_channels) * s.in_channels * 9, 102),
                       b = random_floats(std::size_t(s.out_channels), 103);
            check_op(p, conv_name(relu ? "conv+relu" : "conv", s), {x, w, b}, out_size(s), conv_forward_op(s, relu));
        }
    // Which path ran: the fused call only where it agreed with the separate calls on noise (y poisoned).
    for (const ConvShape& s : kShapes)
        std::printf("%-32s %s\n", conv_name("plan", s).c_str(), p.gpu->describe_conv(s).c_str());
}

TEST_CASE("gpu: conv backward-data matches the CPU", "[gpu][conv]") {
    Pair p = backends();
    for (const ConvShape& s : kShapes) {
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

TEST_CASE("gpu: ReLU backward (cuDNN) matches the CPU, in place too", "[gpu][relu]") {
    Pair p = backends();
    for (std::size_t n : {std::size_t(1), std::size_t(1000), std::size_t(123457)}) {
        auto y = random_floats(n, 109);
        for (float& v : y) v = std::max(v, 0.0f);
        const auto dy = random_floats(n, 110);
        check_op(p, "relu backward n=" + std::to_string(n), {y, dy}, n, relu_backward_op(n));
        check_op(p, "relu backward in place n=" + std::to_string(n), {y, dy}, n,
                 [&](Backend& be, const std::vector<Buffer>& in, float* out) {
                     be.relu_backward(in[0].data(), in[1].data(), in[1].data(), n);
                     be.copy(in[1].data(), out, n);
                 });
    }
}

TEST_CASE("gpu: pooling, cuDNN at even sizes and libnst's kernels at odd ones, match the CPU", "[gpu][pool]") {
    Pair p = backends();
    for (PoolMode mode : {PoolMode::Average, PoolMode::Max})
        for (auto [c, h, w] : {std::tuple{3, 32, 48}, std::tuple{1, 5, 7}, std::tuple{8, 9, 10}, std::tuple{2, 1, 1},
                               std::tuple{64, 75, 100}}) {
            check_pool(p, PoolShape{1, c, h, w, mode}, 111);
        }
}

TEST_CASE("gpu: Gram matrices with SGEMM and SSYRK (mirrored) match the CPU, non-square shapes", "[gpu][gram]") {
    for (GramMethod method : {GramMethod::Gemm, GramMethod::Syrk}) {
        Pair p = backends(Precision::Fp32, method);
        for (auto [C, M] : {std::pair{64, 4096}, std::pair{1, 333}, std::pair{17, 5}, std::pair{128, 1089}}) {
            const auto F = random_floats(std::size_t(C) * M, 113);
            check_op(p,
                     std::string(method == GramMethod::Syrk ? "syrk" : "gemm") + " gram " + std::to_string(C) + "x" +
                         std::to_string(M),
                     {F}, std::size_t(C) * C, [&, C = C, M = M](Backend& be, const std::vector<Buffer>& in, float* G) {
                         be.gram(in[0].data(), C, M, G);
                     });
        }
    }
}

TEST_CASE("gpu: style loss value and gradient (one GEMM) match the CPU", "[gpu][style]") {
    for (GramMethod method : {GramMethod::Gemm, GramMethod::Syrk}) {
        Pair p = backends(Precision::Fp32, method);
        for (auto [C, M] : {std::pair{64, 1200}, std::pair{1, 50}, std::pair{33, 7}}) {
            const auto F = random_floats(std::size_t(C) * M, 114);
            const Vec target = gram(to_double(random_floats(std::size_t(C) * M, 115)), C, M);
            const std::vector<float> A(target.begin(), target.end());
            const auto prior = random_floats(std::size_t(C) * M, 116);
            const std::string tag = std::string(method == GramMethod::Syrk ? "syrk" : "gemm") + " style " +
                                    std::to_string(C) + "x" + std::to_string(M);
            for (bool accumulate : {false, true})
                for (bool want_loss : {false, true}) {
                    // The gradient and the loss value are compared separately (different scales).
                    const std::size_t count = want_loss ? 1 : std::size_t(C) * M;
                    check_op(p,
                             tag + (want_loss    ? " loss"
                                    : accumulate ? " grad+="
                                                 : " grad"),
                             {F, A, prior}, count,
                             [&, C = C, M = M](Backend& be, const std::vector<Buffer>& in, float* out) {
                                 Buffer scratch = poisoned(be, std::size_t(C) * C),
                                        grad = be.allocate(std::size_t(C) * M), loss = poisoned(be, 1);
                                 be.copy(in[2].data(), grad.data(), grad.size());
                                 be.style_loss(in[0].data(), C, M, in[1].data(), scratch.data(), 100.0f, loss.data(),
                                               grad.data(), accumulate);
                                 be.copy(want_loss ? loss.data() : grad.data(), out, count);
                                 be.synchronize();
                             });
                }
        }
    }
}

TEST_CASE("gpu: content and total-variation losses match the CPU", "[gpu][content][tv]") {
    Pair p = backends();
    for (auto [C, H, W] : {std::tuple{64, 30, 41}, std::tuple{1, 1, 1}, std::tuple{3, 7, 1}}) {
        const std::size_t n = std::size_t(C) * H * W;
        const auto F = random_floats(n, 117), P = random_floats(n, 118), prior = random_floats(n, 119);
        const std::string tag = std::to_string(C) + "x" + std::to_string(H) + "x" + std::to_string(W);
        for (bool accumulate : {false, true})
            for (bool want_loss : {false, true})
                check_op(p,
                         "content " + tag +
                             (want_loss    ? " loss"
                              : accumulate ? " grad+="
                                           : " grad"),
                         {F, P, prior}, want_loss ? 1 : n,
                         [&, C = C, H = H, W = W](Backend& be, const std::vector<Buffer>& in, float* out) {
                             Buffer grad = be.allocate(n), loss = poisoned(be, 1);
                             be.copy(in[2].data(), grad.data(), n);
                             be.content_loss(in[0].data(), in[1].data(), C, std::int64_t(H) * W, 5.0f, loss.data(),
                                             grad.data(), accumulate);
                             be.copy(want_loss ? loss.data() : grad.data(), out, want_loss ? 1 : n);
                             be.synchronize();
                         });
        for (bool want_loss : {false, true})
            check_op(p, "tv " + tag + (want_loss ? " loss" : " grad+="), {F, prior}, want_loss ? 1 : n,
                     [&, C = C, H = H, W = W](Backend& be, const std::vector<Buffer>& in, float* out) {
                         Buffer grad = be.allocate(n), loss = poisoned(be, 1);
                         be.copy(in[1].data(), grad.data(), n);
                         be.tv_loss(1, C, H, W, in[0].data(), 0.3f, loss.data(), grad.data());
                         be.copy(want_loss ? loss.data() : grad.data(), out, want_loss ? 1 : n);
                         be.synchronize();
                     });
    }
}

TEST_CASE("gpu: deterministic reductions match the CPU's double sums", "[gpu][reduce]") {
    Pair p = backends();
    for (std::size_t n : {std::size_t(1), std::size_t(255), std::size_t(65537), std::size_t(3000017)}) {
        const auto a = random_floats(n, 120), b = random_floats(n, 121);
        check_op(p, "reductions n=" + std::to_string(n), {a, b}, 3, reductions_op(n));
    }
}

TEST_CASE("gpu: axpy, scale and Adam (both flavours) match the CPU", "[gpu][vector][adam]") {
    Pair p = backends();
    const std::size_t n = 100001;
    const auto x = random_floats(n, 122, -100, 100), g = random_floats(n, 123, -5, 5);
    check_op(p, "axpy+scale", {x, g}, n, [&](Backend& be, const std::vector<Buffer>& in, float* out) {
        be.copy(in[0].data(), out, n);
        be.axpy(-0.75f, in[1].data(), out, n);
        be.scale(1.5f, out, n);
    });
    for (AdamFlavor flavor : {AdamFlavor::TensorFlow1, AdamFlavor::PyTorch}) {
        AdamParams params;
        params.flavor = flavor;
        check_op(p, std::string("adam x5 ") + (flavor == AdamFlavor::PyTorch ? "pytorch" : "tf1"), {x, g}, n,
                 [&](Backend& be, const std::vector<Buffer>& in, float* out) {
                     Buffer m = be.allocate(n), v = be.allocate(n);
                     be.fill(m.data(), n, 0.0f);
                     be.fill(v.data(), n, 0.0f);
                     be.copy(in[0].data(), out, n);
                     for (int t = 1; t <= 5; ++t) be.adam_step(out, in[1].data(), m.data(), v.data(), n, t, params);
                     be.synchronize();
                 });
    }
}

TEST_CASE("gpu: device-scalar ops (L-BFGS's) match the CPU", "[gpu][vector][lbfgs]") {
    Pair p = backends();
    const std::size_t n = 77777;
    const auto x = random_floats(n, 126, -3, 3), y = random_floats(n, 127, -3, 3);
    // scalars: [alpha, num, den, zero]
    const std::vector<float> scalars = {0.625f, 3.5f, 7.0f, 0.0f};
    check_op(p, "axpy_scalar + scale_scalar", {x, y, scalars}, n,
             [&](Backend& be, const std::vector<Buffer>& in, float* out) {
                 be.copy(in[1].data(), out, n);
                 be.axpy_scalar(-1.0f, in[2].data(), in[0].data(), out, n);
                 be.scale_scalar(in[2].data() + 1, out, n);
             });
    check_op(
        p, "scalar_ratio/subtract", {scalars}, 4,
        [&](Backend& be, const std::vector<Buffer>& in, float* out) {
            be.fill(out, 4, 9.0f);
            be.scalar_ratio(in[0].data() + 1, in[0].data() + 2, 1e-10f, 0.0f, out);       // 0.5
            be.scalar_ratio(in[0].data() + 1, in[0].data() + 3, 1e-10f, 0.0f, out + 1);   // den 0: fallback 0
            be.scalar_ratio(in[0].data() + 1, in[0].data() + 3, 1e-10f, -1.0f, out + 2);  // kept: 9
            be.scalar_subtract(in[0].data(), in[0].data() + 1, out + 3);                  // -2.875
        },
        0.0);
}

TEST_CASE("gpu: image ops and noise are bit-identical to the CPU", "[gpu][image]") {
    Pair p = backends();
    const float mean[3] = {123.68f, 116.779f, 103.939f};
    const int H = 37, W = 53;
    std::vector<std::uint8_t> rgb(std::size_t(H) * W * 3);
    for (std::size_t i = 0; i < rgb.size(); ++i) rgb[i] = static_cast<std::uint8_t>((i * 131 + 7) % 256);
    std::vector<float> tensors[2];
    std::vector<std::uint8_t> images[2];
    Backend* both[2] = {p.gpu.get(), p.cpu.get()};
    const auto drift = random_floats(std::size_t(3) * H * W, 124, -200, 200);
    for (int k = 0; k < 2; ++k) {
        Backend& be = *both[k];
        Buffer x = poisoned(be, std::size_t(3) * H * W), d = put(be, drift);
        be.image_to_tensor(rgb.data(), H, W, mean, x.data());
        tensors[k] = get(be, x);
        be.axpy(1.0f, d.data(), x.data(), x.size());  // values beyond 0..255 exercise the clamp
        images[k].resize(rgb.size());
        be.tensor_to_image(x.data(), H, W, mean, images[k].data());
    }
    CHECK(bit_identical(tensors[0], tensors[1]));
    CHECK(images[0] == images[1]);
    const std::size_t n = std::size_t(3) * 600 * 800;
    const auto content = random_floats(n, 125, -120, 130);
    check_op(
        p, "noise init 0.7 (bit-identical expected)", {content}, n,
        [&](Backend& be, const std::vector<Buffer>& in, float* out) {
            be.noise_init(in[0].data(), n, 2024, 0.7f, out);
        },
        0.0);
}

TEST_CASE("gpu: memory accounting sees allocations come and go", "[gpu][memory]") {
    auto gpu = make_cuda_backend();
    const std::size_t before = gpu->memory_in_use();
    {
        Buffer a = gpu->allocate(1 << 20);
        CHECK(gpu->memory_in_use() == before + (std::size_t(4) << 20));
    }
    CHECK(gpu->memory_in_use() == before);
    CHECK(gpu->peak_memory() >= before + (std::size_t(4) << 20));
    std::printf("%s\n", gpu->description().c_str());
}

// The production extremes: a 1024 px pass has 64 x 1024 x 1024 = 67M-element feature maps and M = 1M-pixel
// Gram products. Index arithmetic, grid sizes and the 1 x 1 x 1 x N descriptors of cuDNN's ReLU are checked
// there, not only at test sizes. Tolerance 1e-4: both sides accumulate a million float products (the GEMMs),
// and an indexing error shows up as O(1).
TEST_CASE("gpu: ops at a 1024 px pass's sizes (67M elements, 1M-pixel Grams) match the CPU", "[gpu][large]") {
    constexpr double kLarge = 1e-4;
    Pair p = backends();
    const std::size_t n = std::size_t(64) * 1024 * 1024;
    {
        const ConvShape s{1, 3, 64, 1024, 1024};  // conv1_1
        const auto x = random_floats(in_size(s), 131), w = random_floats(std::size_t(64) * 3 * 9, 132),
                   b = random_floats(64, 133), dy = random_floats(out_size(s), 134);
        check_op(p, conv_name("conv+relu", s), {x, w, b}, out_size(s), conv_forward_op(s, true), kLarge);
        check_op(p, conv_name("conv backward-data", s), {w, dy}, in_size(s), conv_backward_op(s), kLarge);
    }
    {
        auto y = random_floats(n, 135);
        for (float& v : y) v = std::max(v, 0.0f);
        const auto dy = random_floats(n, 136);
        check_op(p, "relu backward n=" + std::to_string(n), {y, dy}, n, relu_backward_op(n));
        check_op(p, "reductions n=" + std::to_string(n), {y, dy}, 3, reductions_op(n));
    }
    for (int side : {1024, 1023})  // cuDNN (even) and libnst's 'SAME' kernels (odd)
        for (PoolMode mode : {PoolMode::Average, PoolMode::Max}) check_pool(p, PoolShape{1, 64, side, side, mode}, 137);
    const int C = 64;
    const std::int64_t M = 1024 * 1024;  // relu1_1 at 1024 px
    const auto F = random_floats(std::size_t(C) * M, 139);
    std::vector<float> A(std::size_t(C) * C);
    {
        Buffer F2 = put(*p.cpu, random_floats(std::size_t(C) * M, 140)), G = p.cpu->allocate(A.size());
        p.cpu->gram(F2.data(), C, M, G.data());
        A = get(*p.cpu, G);  // a symmetric target, as a style image's Gram is
    }
    for (GramMethod method : {GramMethod::Gemm, GramMethod::Syrk}) {
        Pair q = backends(Precision::Fp32, method);
        const std::string tag = std::string(method == GramMethod::Syrk ? "syrk" : "gemm") + " 64x1048576";
        check_op(q, tag + " gram", {F}, std::size_t(C) * C, [&](Backend& be, const std::vector<Buffer>& in, float* G) {
            be.gram(in[0].data(), C, M, G);
        }, kLarge);
        check_op(q, tag + " style grad", {F, A}, std::size_t(C) * M,
                 [&](Backend& be, const std::vector<Buffer>& in, float* dF) {
                     Buffer scratch = poisoned(be, std::size_t(C) * C), loss = poisoned(be, 1);
                     be.style_loss(in[0].data(), C, M, in[1].data(), scratch.data(), 100.0f, loss.data(), dF, false);
                     be.synchronize();
                 }, kLarge);
    }
}
