// Optimisers of a vector x in backend memory, driven only by its gradient, so that they serve any function:
// the transfer's objective (objective.hpp) or a test's. Each allocates its state when made; step() never
// allocates, and waits for the backend only where a comment says so.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "core/op_backend.hpp"
#include "nst/options.hpp"

namespace nst {

class Optimizer {
public:
    virtual ~Optimizer() = default;
    // One step from g, the gradient at the current x; x (n floats) is updated in place.
    virtual void step(float* x, const float* g) = 0;
    int steps() const noexcept { return steps_; }

    // `steps` steps from x, each from the gradient the callback gives for the current x (backend memory
    // holding n floats, valid until the next call): minimises any function whose gradient the caller has.
    using Gradient = std::function<const float*(const float* x)>;
    void run(float* x, int steps, const Gradient& gradient) {
        for (int i = 0; i < steps; ++i) step(x, gradient(x));
    }

protected:
    int steps_ = 0;
};

// Adam (both flavours of nst::AdamFlavor) with its moments m and v, zero before the first step.
class AdamOptimizer final : public Optimizer {
public:
    AdamOptimizer(OpBackend& backend, std::size_t n, const AdamParams& params);
    void step(float* x, const float* g) override;

private:
    OpBackend& backend_;
    std::size_t n_;
    AdamParams params_;
    Buffer m_, v_;
};

// L-BFGS without a line search (nst::LbfgsParams): the two-loop recursion over the last `history` pairs
// s (steps) and y (gradient changes), entirely in backend memory; only the first step's |g|₁ is read back.
class LbfgsOptimizer final : public Optimizer {
public:
    LbfgsOptimizer(OpBackend& backend, std::size_t n, const LbfgsParams& params);
    void step(float* x, const float* g) override;

private:
    void first_step(const float* g);
    void complete_newest_pair(const float* g);
    void two_loop_recursion(const float* g);
    int slot(int age) const { return (newest_ - age + history_) % history_; }  // age 0: the newest pair
    // Scalars in backend memory: yᵀs and alpha per pair, then gamma and two temporaries.
    float* ys(int i) { return scalars_.data() + i; }
    float* alpha(int i) { return scalars_.data() + history_ + i; }
    float* gamma() { return scalars_.data() + 2 * history_; }
    float* tmp() { return scalars_.data() + 2 * history_ + 1; }
    float* tmp2() { return scalars_.data() + 2 * history_ + 2; }

    OpBackend& backend_;
    std::size_t n_;
    int history_;
    float lr_;
    std::vector<Buffer> s_, y_;
    Buffer g_prev_, direction_, scalars_;
    int pairs_ = 0, newest_ = -1;
};

// The optimiser `options` ask for, over n floats.
std::unique_ptr<Optimizer> make_optimizer(OpBackend& backend, std::size_t n, const TransferOptions& options);

}  // namespace nst
