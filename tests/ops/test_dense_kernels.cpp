// dense's GPU path (kernels/dense.cuh) run by the kernel harness, its cuBLAS calls answered by the stand-in
// (OpenBLAS after cuBLAS's argument checks): the same GEMMs as the CPU backend (1e-6), the bias kernels bit for
// bit, at non-square shapes.
#include "../harness/cublas_shim.hpp"
#include "../harness/kernel_checks.hpp"
#include "../support/backend_io.hpp"
#include "../support/reference_ops.hpp"
#include "dense.cuh"

using namespace nst;
using namespace nst::test;

TEST_CASE("kernels: the dense layer's cuBLAS sequence and bias kernels equal the CPU's", "[kernels][dense]") {
    harness::BlasHandle blas;
    for (auto [N, I, O] : {std::tuple{3, 5, 7}, std::tuple{7, 3, 2}, std::tuple{64, 256, 100}})
        for (bool accumulate : {false, true}) {
            const std::size_t xs = std::size_t(N) * I, ws = std::size_t(I) * O, ys = std::size_t(N) * O;
            const auto x = random_floats(xs, 7), w = random_floats(ws, 8), b = random_floats(std::size_t(O), 9),
                       dy = random_floats(ys, 10), dw0 = random_floats(ws, 11), db0 = random_floats(std::size_t(O), 12);
            auto cpu = twin();
            Buffer X = put(*cpu, x), W = put(*cpu, w), B = put(*cpu, b), DY = put(*cpu, dy), Y = cpu->allocate(ys),
                   DX = cpu->allocate(xs), DW = put(*cpu, dw0), DB = put(*cpu, db0);
            cpu->dense_forward(N, I, O, X.data(), W.data(), B.data(), Y.data());
            cpu->dense_backward_data(N, I, O, W.data(), DY.data(), DX.data());
            cpu->dense_backward_weights(N, I, O, X.data(), DY.data(), DW.data(), DB.data(), accumulate);
            INFO(N << "x" << I << "->" << O << " accumulate " << accumulate);
            Guarded<float> Xk(x), Wk(w), Bk(b), DYk(dy), Yk(ys), DXk(xs), DWk(dw0), DBk(db0);
            kernels::dense_forward(blas.handle, N, I, O, Xk.data(), Wk.data(), Bk.data(), Yk.data(), nullptr);
            kernels::dense_backward_data(blas.handle, N, I, O, Wk.data(), DYk.data(), DXk.data());
            kernels::dense_backward_weights(blas.handle, N, I, O, Xk.data(), DYk.data(), DWk.data(), DBk.data(),
                                            accumulate, nullptr);
            CHECK(relative_max_error(Yk.values(), to_double(get(*cpu, Y))) < 1e-6);
            CHECK(relative_max_error(DXk.values(), to_double(get(*cpu, DX))) < 1e-6);
            CHECK(relative_max_error(DWk.values(), to_double(get(*cpu, DW))) < 1e-6);
            CHECK(same_bits(DBk.values(), get(*cpu, DB)));
            CHECK((Yk.guards_intact() && DXk.guards_intact() && DWk.guards_intact() && DBk.guards_intact()));
        }
}
