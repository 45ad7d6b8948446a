// crop's kernels (kernels/crop.cuh) run by the kernel harness: forward and backward bit for bit against
// the CPU backend (the same index map), an interior window of odd sizes and the whole tensor.
#include "../harness/kernel_checks.hpp"
#include "../support/backend_io.hpp"
#include "../support/reference_ops.hpp"
#include "crop.cuh"

using namespace nst;
using namespace nst::test;

TEST_CASE("kernels: crop and its backward equal the CPU's bit for bit", "[kernels][crop]") {
    for (auto [C, H, W, win] :
         {std::tuple{3, 37, 29, CropWindow{5, 7, 20, 13}}, std::tuple{8, 16, 16, CropWindow{0, 0, 16, 16}},
          std::tuple{2, 9, 11, CropWindow{8, 10, 1, 1}}}) {
        const std::size_t n = std::size_t(C) * H * W, m = std::size_t(C) * win.height * win.width;
        const auto x = random_floats(n, 40), dy = random_floats(m, 41), prior = random_floats(n, 42);
        auto cpu = twin();
        Buffer X = put(*cpu, x), Y = cpu->allocate(m), DY = put(*cpu, dy), DX = put(*cpu, prior);
        cpu->crop_forward(C, H, W, win, X.data(), Y.data());
        cpu->crop_backward(C, H, W, win, DY.data(), DX.data());
        const auto want_y = get(*cpu, Y), want_dx = get(*cpu, DX);
        const CropWindow w = win;
        const int c = C, h = H, wd = W;
        for_each_schedule([&] {
            Guarded<float> Xk(x), Yk(m), DYk(dy), DXk(prior);
            kernels::crop_forward(c, h, wd, w, Xk.data(), Yk.data(), nullptr);
            kernels::crop_backward(c, h, wd, w, DYk.data(), DXk.data(), nullptr);
            CHECK(same_bits(Yk.values(), want_y));
            CHECK(same_bits(DXk.values(), want_dx));
            CHECK((Xk.guards_intact() && Yk.guards_intact() && DYk.guards_intact() && DXk.guards_intact()));
        });
    }
}
