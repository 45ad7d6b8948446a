// CPU dense layer: OpenBLAS SGEMM on the row-major matrices (x: batch x inputs, w: inputs x outputs); the
// bias gradient summed in double over the batch in order, as the CUDA kernel does.
#include <cblas.h>

#include "cpu_backend.hpp"
#include "core/shape_checks.hpp"

namespace nst::cpu {

void CpuBackend::dense_forward(int batch, int inputs, int outputs, const float* x, const float* w, const float* b,
                               float* y) {
    check_matrix_shape("dense", batch, inputs, outputs);
#pragma omp parallel for num_threads(threads()) schedule(static)
    for (int n = 0; n < batch; ++n)
        for (int o = 0; o < outputs; ++o) y[std::size_t(n) * outputs + o] = b[o];
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, batch, outputs, inputs, 1.0f, x, inputs, w, outputs, 1.0f,
                y, outputs);
}

void CpuBackend::dense_backward_data(int batch, int inputs, int outputs, const float* w, const float* dy, float* dx) {
    check_matrix_shape("dense", batch, inputs, outputs);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, batch, inputs, outputs, 1.0f, dy, outputs, w, outputs, 0.0f,
                dx, inputs);
}

void CpuBackend::dense_backward_weights(int batch, int inputs, int outputs, const float* x, const float* dy, float* dw,
                                        float* db, bool accumulate) {
    check_matrix_shape("dense", batch, inputs, outputs);
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, inputs, outputs, batch, 1.0f, x, inputs, dy, outputs,
                accumulate ? 1.0f : 0.0f, dw, outputs);
    for (int o = 0; o < outputs; ++o) {
        double sum = 0.0;
        for (int n = 0; n < batch; ++n) sum += dy[std::size_t(n) * outputs + o];
        db[o] = static_cast<float>(accumulate ? db[o] + sum : sum);
    }
}

}  // namespace nst::cpu
