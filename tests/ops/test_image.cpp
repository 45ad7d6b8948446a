// image: RGB bytes to a mean-subtracted tensor and back (clamped, rounded) and the notebook's seeded noise.
// CPU exactly; the CUDA backend bit-identical to the CPU (shared/image.hpp's formulas, explicit rounding).
#include <catch2/catch.hpp>

#include <cmath>

#include "op_checks.hpp"
#include "shared/counter_rng.hpp"

using namespace nst;
using namespace nst::test;

TEST_CASE("cpu image ops: exact round trip, clamping and rounding", "[ops][image]") {
    auto b = cpu_backend();
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
    auto b = cpu_backend();
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

TEST_CASE("gpu: image ops and noise are bit-identical to the CPU", "[gpu][image]") {
    Pair p = backends();
    const float mean[3] = {123.68f, 116.779f, 103.939f};
    const int H = 37, W = 53;
    std::vector<std::uint8_t> rgb(std::size_t(H) * W * 3);
    for (std::size_t i = 0; i < rgb.size(); ++i) rgb[i] = static_cast<std::uint8_t>((i * 131 + 7) % 256);
    std::vector<float> tensors[2];
    std::vector<std::uint8_t> images[2];
    OpBackend* both[2] = {p.gpu.get(), p.cpu.get()};
    const auto drift = random_floats(std::size_t(3) * H * W, 124, -200, 200);
    for (int k = 0; k < 2; ++k) {
        OpBackend& be = *both[k];
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
        [&](OpBackend& be, const std::vector<Buffer>& in, float* out) {
            be.noise_init(in[0].data(), n, 2024, 0.7f, out);
        },
        0.0);
}
