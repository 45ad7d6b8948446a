// add: the residual connection y = a + b, ReLU optional. CPU exactly against the definition (one float
// addition), in place; the CUDA backend against the CPU bit for bit in effect (tolerance 0 would do; the
// shared tolerance is used). Its backward is relu_backward (tests/ops/test_relu.cpp).
#include <catch2/catch.hpp>

#include <algorithm>

#include "op_checks.hpp"

using namespace nst;
using namespace nst::test;

TEST_CASE("cpu add sums elementwise, with the ReLU when asked, in place too", "[ops][add]") {
    auto b = cpu_backend();
    const std::size_t n = 1001;
    const auto a = random_floats(n, 1), c = random_floats(n, 2);
    for (bool relu : {false, true}) {
        Buffer A = put(*b, a), C = put(*b, c), Y = poisoned(*b, n);
        b->add(A.data(), C.data(), Y.data(), n, relu);
        const auto y = get(*b, Y);
        bool exact = true;
        for (std::size_t i = 0; i < n; ++i) exact = exact && y[i] == (relu ? std::max(a[i] + c[i], 0.0f) : a[i] + c[i]);
        CHECK(exact);
        b->add(A.data(), C.data(), A.data(), n, relu);  // y = a
        CHECK(get(*b, A) == y);
    }
}

TEST_CASE("gpu: add matches the CPU", "[gpu][add]") {
    Pair p = backends();
    for (std::size_t n : {std::size_t(1), std::size_t(4096 * 256), std::size_t(64 * 2048)}) {
        const auto a = random_floats(n, 3), c = random_floats(n, 4);
        for (bool relu : {false, true})
            check_op(p, std::string(relu ? "add+relu " : "add ") + std::to_string(n), {a, c}, n,
                     [n, relu](OpBackend& be, const std::vector<Buffer>& in, float* y) {
                         be.add(in[0].data(), in[1].data(), y, n, relu);
                     });
    }
}
