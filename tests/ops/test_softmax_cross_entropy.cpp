// softmax_cross_entropy: the mean cross-entropy of softmax(logits) against integer labels, the number of
// correct rows (label = the first maximum) and the logits' gradient. CPU against the textbook formula in
// double (1e-6: the CPU's rows are double too, rounded to float once); the gradient by finite differences;
// an invalid label gives a NaN loss; the CUDA kernels against the CPU.
#include <catch2/catch.hpp>

#include <cmath>

#include "../support/reference_training.hpp"
#include "op_checks.hpp"

using namespace nst;
using namespace nst::test;

namespace {

std::vector<float> labels_for(int batch, int classes, std::uint64_t seed) {
    std::vector<float> labels(static_cast<std::size_t>(batch));
    const auto u = random_floats(std::size_t(batch), seed, 0.0f, 1.0f);
    for (std::size_t n = 0; n < labels.size(); ++n) labels[n] = std::floor(u[n] * float(classes));
    return labels;
}

// Inputs {logits, labels}; output [loss, correct, dlogits...].
Op op(int batch, int classes) {
    return [batch, classes](OpBackend& be, const std::vector<Buffer>& in, float* out) {
        Buffer scratch = be.allocate(2 * std::size_t(batch));
        be.softmax_cross_entropy(batch, classes, in[0].data(), in[1].data(), scratch.data(), out, out + 1, out + 2);
    };
}

}  // namespace

TEST_CASE("cpu softmax cross-entropy: mean loss, correct rows and the logits' gradient", "[ops][softmax_cross_entropy]") {
    auto b = cpu_backend();
    for (auto [batch, classes] : {std::pair{4, 10}, std::pair{64, 100}, std::pair{1, 2}}) {
        auto logits = random_floats(std::size_t(batch) * classes, 1, -8, 8);
        const auto labels = labels_for(batch, classes, 2);
        logits[std::size_t(labels[0])] = 20.0f;  // row 0 is right: at least one hit
        const auto out = run(*b, {logits, labels}, 2 + logits.size(), op(batch, classes));
        int correct = 0;
        Vec dlogits;
        const double loss = softmax_cross_entropy(batch, classes, to_double(logits), labels, &correct, &dlogits);
        INFO(batch << " x " << classes);
        CHECK(out[0] == Approx(loss).epsilon(1e-6));
        CHECK(out[1] == float(correct));
        CHECK(correct >= 1);
        CHECK(relative_max_error(std::vector<float>(out.begin() + 2, out.end()), dlogits) < 1e-6);
    }
}

TEST_CASE("cpu softmax cross-entropy counts the first maximum only and gives NaN for a bad label",
          "[ops][softmax_cross_entropy]") {
    auto b = cpu_backend();
    // Row 0: a tie between classes 1 and 2, label 2: not correct (Keras's argmax takes the first). Row 1: label 1.
    const std::vector<float> logits = {0, 5, 5, 1, 3, 1};
    const auto out = run(*b, {logits, {2.0f, 1.0f}}, 8, op(2, 3));
    CHECK(out[1] == 1.0f);
    CHECK(std::isnan(run(*b, {logits, {3.0f, 1.0f}}, 8, op(2, 3))[0]));
    CHECK(std::isnan(run(*b, {logits, {0.5f, 1.0f}}, 8, op(2, 3))[0]));
}

TEST_CASE("gradcheck: softmax cross-entropy's gradient", "[gradcheck][softmax_cross_entropy]") {
    auto b = cpu_backend();
    const auto logits = random_floats(15, 3, -3, 3), labels = labels_for(3, 5, 4);
    const auto out = run(*b, {logits, labels}, 17, op(3, 5));
    const Vec numeric = numeric_gradient([&](const Vec& v) { return softmax_cross_entropy(3, 5, v, labels, nullptr, nullptr); },
                                         to_double(logits), kH);
    CHECK(relative_max_error(std::vector<float>(out.begin() + 2, out.end()), numeric) < kGradTolerance);
}

TEST_CASE("gpu: softmax cross-entropy matches the CPU", "[gpu][softmax_cross_entropy]") {
    Pair p = backends();
    for (auto [batch, classes] : {std::pair{4, 10}, std::pair{64, 100}, std::pair{16, 100}, std::pair{1, 2}}) {
        const auto logits = random_floats(std::size_t(batch) * classes, 5, -8, 8);
        check_op(p, "softmax cross-entropy " + std::to_string(batch) + "x" + std::to_string(classes),
                 {logits, labels_for(batch, classes, 6)}, 2 + logits.size(), op(batch, classes));
    }
}
