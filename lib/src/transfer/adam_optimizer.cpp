// Adam on a backend: the moments live beside x, one fused backend op per step.
#include "transfer/optimizer.hpp"

namespace nst {

AdamOptimizer::AdamOptimizer(OpBackend& backend, std::size_t n, const AdamParams& params)
    : backend_(backend), n_(n), params_(params), m_(backend.allocate(n)), v_(backend.allocate(n)) {
    backend_.fill(m_.data(), n_, 0.0f);
    backend_.fill(v_.data(), n_, 0.0f);
}

void AdamOptimizer::step(float* x, const float* g) {
    backend_.adam_step(x, g, m_.data(), v_.data(), n_, ++steps_, params_);
}

std::unique_ptr<Optimizer> make_optimizer(OpBackend& backend, std::size_t n, const TransferOptions& options) {
    if (options.optimizer == OptimizerKind::Lbfgs) return std::make_unique<LbfgsOptimizer>(backend, n, options.lbfgs);
    return std::make_unique<AdamOptimizer>(backend, n, options.adam);
}

}  // namespace nst
