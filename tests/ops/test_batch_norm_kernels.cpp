// batch_norm's kernels (kernels/batch_norm.cuh) run by the kernel harness against the CPU backend: the
// training forward (outputs, saved and moving statistics), inference and the backward (set, accumulated, in
// place, ReLU fused), at shapes with fewer and more values per channel than the block's 256 threads. The
// sums differ in order only (a tree against a sequence): 1e-6 of the largest value.
#include "../harness/kernel_checks.hpp"
#include "../support/backend_io.hpp"
#include "../support/reference_ops.hpp"
#include "batch_norm.cuh"

using namespace nst;
using namespace nst::test;

namespace {

const BatchNormShape kShapes[] = {{3, 4, 5, 3}, {2, 3, 17, 11}, {1, 2, 1, 1}, {5, 1, 1, 1}};

kernels::ChannelView view(const BatchNormShape& s) {
    return {s.channels, s.plane(), s.per_channel()};
}

struct Forward {
    std::vector<float> y, mean, inv_std, moving_mean, moving_var;
};

Forward cpu_forward(const BatchNormShape& s, bool relu, const std::vector<std::vector<float>>& in) {
    auto cpu = twin();
    const std::size_t c = std::size_t(s.channels);
    Buffer X = put(*cpu, in[0]), G = put(*cpu, in[1]), B = put(*cpu, in[2]), MM = put(*cpu, in[3]), MV = put(*cpu, in[4]),
           Y = cpu->allocate(s.size()), M = cpu->allocate(c), I = cpu->allocate(c);
    BatchNormParams p;
    p.relu = relu;
    cpu->batch_norm_forward_training(s, p, X.data(), G.data(), B.data(), Y.data(), M.data(), I.data(), MM.data(), MV.data());
    return {get(*cpu, Y), get(*cpu, M), get(*cpu, I), get(*cpu, MM), get(*cpu, MV)};
}

std::vector<std::vector<float>> inputs(const BatchNormShape& s, std::uint64_t seed) {
    const std::size_t c = std::size_t(s.channels);
    return {random_floats(s.size(), seed, -3, 5), random_floats(c, seed + 1, 0.5f, 2), random_floats(c, seed + 2),
            random_floats(c, seed + 3), random_floats(c, seed + 4, 0.5f, 2)};
}

bool close(const std::vector<float>& a, const std::vector<float>& b) {
    return relative_max_error(a, to_double(b)) < 1e-6;
}

}  // namespace

TEST_CASE("kernels: batch norm training forward equals the CPU's", "[kernels][batch_norm]") {
    for (const BatchNormShape& s : kShapes)
        for (bool relu : {false, true}) {
            const auto in = inputs(s, 1);
            const Forward want = cpu_forward(s, relu, in);
            INFO(s.batch << "x" << s.channels << "x" << s.height << "x" << s.width << " relu " << relu);
            for_each_schedule([&] {
                const std::size_t c = std::size_t(s.channels);
                Guarded<float> X(in[0]), G(in[1]), B(in[2]), MM(in[3]), MV(in[4]), Y(s.size()), M(c), I(c);
                kernels::batch_norm_training(view(s), 1.001e-5f, 0.99f, relu, X.data(), G.data(), B.data(), Y.data(),
                                             M.data(), I.data(), MM.data(), MV.data(), nullptr);
                CHECK(close(Y.values(), want.y));
                CHECK(close(M.values(), want.mean));
                CHECK(close(I.values(), want.inv_std));
                CHECK(close(MM.values(), want.moving_mean));
                CHECK(close(MV.values(), want.moving_var));
                CHECK((X.guards_intact() && Y.guards_intact() && M.guards_intact() && I.guards_intact() &&
                       MM.guards_intact() && MV.guards_intact()));
            });
        }
}

TEST_CASE("kernels: batch norm inference equals the CPU's", "[kernels][batch_norm]") {
    for (const BatchNormShape& s : kShapes)
        for (bool relu : {false, true}) {
            const auto in = inputs(s, 2);
            auto cpu = twin();
            Buffer X = put(*cpu, in[0]), G = put(*cpu, in[1]), B = put(*cpu, in[2]), MM = put(*cpu, in[3]),
                   MV = put(*cpu, in[4]), Y = cpu->allocate(s.size());
            BatchNormParams p;
            p.relu = relu;
            cpu->batch_norm_forward_inference(s, p, X.data(), G.data(), B.data(), MM.data(), MV.data(), Y.data());
            const auto want = get(*cpu, Y);
            for_each_schedule([&] {
                Guarded<float> Xk(in[0]), Gk(in[1]), Bk(in[2]), Mk(in[3]), Vk(in[4]), Yk(s.size());
                kernels::batch_norm_inference(view(s), 1.001e-5f, relu, Xk.data(), Gk.data(), Bk.data(), Mk.data(),
                                              Vk.data(), Yk.data(), nullptr);
                CHECK(same_bits(Yk.values(), want));  // elementwise, the same formula
                CHECK(Yk.guards_intact());
            });
        }
}

TEST_CASE("kernels: batch norm backward equals the CPU's, set, accumulated and in place", "[kernels][batch_norm]") {
    for (const BatchNormShape& s : kShapes)
        for (bool relu : {false, true})
            for (bool accumulate : {false, true}) {
                const auto in = inputs(s, 3);
                const Forward f = cpu_forward(s, relu, in);
                const std::size_t c = std::size_t(s.channels);
                const auto dy = random_floats(s.size(), 9), dg0 = random_floats(c, 10), db0 = random_floats(c, 11);
                auto cpu = twin();
                Buffer X = put(*cpu, in[0]), Y = put(*cpu, f.y), DY = put(*cpu, dy), G = put(*cpu, in[1]),
                       M = put(*cpu, f.mean), I = put(*cpu, f.inv_std), DX = cpu->allocate(s.size()),
                       DG = put(*cpu, dg0), DB = put(*cpu, db0);
                BatchNormParams p;
                p.relu = relu;
                cpu->batch_norm_backward(s, p, X.data(), Y.data(), DY.data(), G.data(), M.data(), I.data(), DX.data(),
                                         DG.data(), DB.data(), accumulate);
                const auto want_dx = get(*cpu, DX), want_dg = get(*cpu, DG), want_db = get(*cpu, DB);
                INFO("relu " << relu << " accumulate " << accumulate);
                for_each_schedule([&] {
                    Guarded<float> Xk(in[0]), Yk(f.y), DYk(dy), Gk(in[1]), Mk(f.mean), Ik(f.inv_std), DGk(dg0), DBk(db0);
                    // dx written over dy: the kernel must read all of a channel's dy before writing it.
                    kernels::batch_norm_backward(view(s), relu, accumulate, Xk.data(), Yk.data(), DYk.data(), Gk.data(),
                                                 Mk.data(), Ik.data(), DYk.data(), DGk.data(), DBk.data(), nullptr);
                    CHECK(relative_max_error(DYk.values(), to_double(want_dx)) < 1e-5);
                    CHECK(close(DGk.values(), want_dg));
                    CHECK(close(DBk.values(), want_db));
                    CHECK((DYk.guards_intact() && DGk.guards_intact() && DBk.guards_intact()));
                });
            }
}
