// image's kernels (kernels/image.cuh) run by the kernel harness: bytes to tensor and back (with values past
// 0..255 to exercise the clamp) and the seeded noise, bit for bit against the CPU backend.
#include <cstdint>

#include "../harness/kernel_checks.hpp"
#include "../support/backend_io.hpp"
#include "../support/reference_ops.hpp"
#include "image.cuh"

using namespace nst;
using namespace nst::test;

TEST_CASE("kernels: image conversions equal the CPU's bit for bit", "[kernels][image]") {
    const float mean[3] = {123.68f, 116.779f, 103.939f};
    for (const auto& shape : {std::pair{37, 53}, std::pair{1, 1}, std::pair{16, 16}}) {
        // (plain copies: a lambda may not capture structured bindings in C++17)
        const int H = std::get<0>(shape);
        const int W = std::get<1>(shape);
        const std::size_t plane = std::size_t(H) * W;
        std::vector<std::uint8_t> rgb(plane * 3);
        for (std::size_t i = 0; i < rgb.size(); ++i) rgb[i] = static_cast<std::uint8_t>((i * 131 + 7) % 256);
        const auto drifted = random_floats(plane * 3, 124, -200, 200);
        auto cpu = twin();
        Buffer x = cpu->allocate(plane * 3), d = put(*cpu, drifted);
        cpu->image_to_tensor(rgb.data(), H, W, mean, x.data());
        const std::vector<float> want_x = get(*cpu, x);
        std::vector<std::uint8_t> want_rgb(rgb.size());
        cpu->tensor_to_image(d.data(), H, W, mean, want_rgb.data());
        INFO(H << " x " << W);
        for_each_schedule([&] {
            Guarded<std::uint8_t> in(rgb), out(rgb.size());
            Guarded<float> xk(plane * 3), dk(drifted);
            kernels::image_to_tensor(in.data(), H, W, {{mean[0], mean[1], mean[2]}}, xk.data(), nullptr);
            kernels::tensor_to_image(dk.data(), H, W, {{mean[0], mean[1], mean[2]}}, out.data(), nullptr);
            CHECK(same_bits(xk.values(), want_x));
            CHECK(out.values() == want_rgb);
            CHECK((in.guards_intact() && out.guards_intact() && xk.guards_intact() && dk.guards_intact()));
        });
    }
}

TEST_CASE("kernels: the noise equals the CPU's bit for bit", "[kernels][image]") {
    for (std::size_t n : {std::size_t(1), std::size_t(257), std::size_t(3 * 600 * 800)}) {
        const auto content = random_floats(n, 125, -120, 130);
        auto cpu = twin();
        Buffer c = put(*cpu, content), out = cpu->allocate(n);
        cpu->noise_init(c.data(), n, 2024, 0.7f, out.data());
        const std::vector<float> want = get(*cpu, out);
        Guarded<float> ck(content), outk(n);
        kernels::noise_init(ck.data(), n, 2024, 0.7f, outk.data(), nullptr);
        INFO("n = " << n);
        CHECK(same_bits(outk.values(), want));
        CHECK((ck.guards_intact() && outk.guards_intact()));
    }
}
