// sgd: Keras's SGD step, with and without momentum. CPU against the update in double over five steps; the
// CUDA kernel against the CPU.
#include <catch2/catch.hpp>

#include "op_checks.hpp"

using namespace nst;
using namespace nst::test;

TEST_CASE("cpu SGD follows Keras's update with and without momentum", "[ops][sgd]") {
    auto b = cpu_backend();
    const std::size_t n = 50;
    for (float momentum : {0.0f, 0.9f}) {
        const float lr = 0.1f;
        auto x = random_floats(n, 1, -10, 10);
        Vec xd = to_double(x), vd(n, 0.0);
        Buffer X = put(*b, x), G = b->allocate(n), V = put(*b, std::vector<float>(n, 0.0f));
        for (int t = 1; t <= 5; ++t) {
            const auto g = random_floats(n, 10 + std::uint64_t(t), -3, 3);
            b->upload(g.data(), G.data(), n);
            b->sgd_step(X.data(), G.data(), momentum == 0.0f ? nullptr : V.data(), n, lr, momentum);
            for (std::size_t i = 0; i < n; ++i) {
                vd[i] = double(momentum) * vd[i] - double(lr) * g[i];
                xd[i] += momentum == 0.0f ? -double(lr) * g[i] : vd[i];
            }
        }
        INFO("momentum " << momentum);
        CHECK(relative_max_error(get(*b, X), xd) < 1e-6);
    }
}

TEST_CASE("gpu: SGD matches the CPU", "[gpu][sgd]") {
    Pair p = backends();
    const std::size_t n = 100001;
    const auto x = random_floats(n, 2, -10, 10), g = random_floats(n, 3, -3, 3), v = random_floats(n, 4);
    for (float momentum : {0.0f, 0.9f})
        check_op(p, "sgd x3 momentum " + std::to_string(momentum), {x, g, v}, n,
                 [momentum](OpBackend& be, const std::vector<Buffer>& in, float* out) {
                     be.copy(in[0].data(), out, n);
                     for (int t = 0; t < 3; ++t) be.sgd_step(out, in[1].data(), in[2].data(), n, 0.01f, momentum);
                 });
}
