// CPU softmax cross-entropy: shared/softmax_cross_entropy.hpp's row formula per row, then the rows' losses and hits
// summed in order in double (the CUDA kernels do the same).
#include "cpu_backend.hpp"
#include "core/shape_checks.hpp"
#include "shared/softmax_cross_entropy.hpp"

namespace nst::cpu {

void CpuBackend::softmax_cross_entropy(int batch, int classes, const float* logits, const float* labels,
                                       float* scratch, float* loss, float* correct, float* dlogits) {
    check_matrix_shape("softmax_cross_entropy", batch, classes, classes);
    const double inv_batch = 1.0 / batch;
#pragma omp parallel for num_threads(threads()) schedule(static)
    for (int n = 0; n < batch; ++n) {
        const std::size_t row = std::size_t(n) * classes;
        scratch[n] = static_cast<float>(shared::softmax_cross_entropy_row(logits + row, classes, labels[n], inv_batch,
                                                                          dlogits + row, scratch + batch + n));
    }
    double total = 0.0, hits = 0.0;
    for (int n = 0; n < batch; ++n) {
        total += scratch[n];
        hits += scratch[batch + n];
    }
    *loss = static_cast<float>(total * inv_batch);
    *correct = static_cast<float>(hits);
}

}  // namespace nst::cpu
