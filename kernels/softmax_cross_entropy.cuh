// Softmax cross-entropy on the GPU: one thread per row runs shared/softmax_cross_entropy.hpp's row formula (the CPU's),
// then one thread sums the rows' losses and hits in order in double, as the CPU does. Two launches; the
// results stay in device memory.
#pragma once

#include <cstddef>

#include "launch.cuh"
#include "shared/softmax_cross_entropy.hpp"

namespace nst::kernels {

NST_KERNEL void cross_entropy_total_kernel(int batch, const float* rows, float* loss, float* correct) {
    double total = 0.0, hits = 0.0;
    for (int n = 0; n < batch; ++n) {
        total += rows[n];
        hits += rows[batch + n];
    }
    *loss = static_cast<float>(total / batch);
    *correct = static_cast<float>(hits);
}

// scratch: 2·batch floats (the rows' losses, then their hits).
inline void softmax_cross_entropy(int batch, int classes, const float* logits, const float* labels, float* scratch,
                                  float* loss, float* correct, float* dlogits, cudaStream_t stream) {
    const double inv_batch = 1.0 / batch;
    const std::size_t width = static_cast<std::size_t>(classes), rows = static_cast<std::size_t>(batch);
    for_each_index(rows, stream, [=] __device__(std::size_t n) {
        scratch[n] = static_cast<float>(shared::softmax_cross_entropy_row(logits + n * width, classes, labels[n],
                                                                          inv_batch, dlogits + n * width,
                                                                          scratch + rows + n));
    });
    launch(cross_entropy_total_kernel, dim3(1), dim3(1), 0, stream, batch, scratch, loss, correct);
}

}  // namespace nst::kernels
