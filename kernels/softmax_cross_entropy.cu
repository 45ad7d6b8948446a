// The CUDA backend's softmax cross-entropy (softmax_cross_entropy.cuh).
#include "cuda/cuda_backend.hpp"
#include "core/shape_checks.hpp"
#include "softmax_cross_entropy.cuh"

namespace nst::cuda {

void CudaBackend::softmax_cross_entropy(int batch, int classes, const float* logits, const float* labels,
                                        float* scratch, float* loss, float* correct, float* dlogits) {
    check_matrix_shape("softmax_cross_entropy", batch, classes, classes);
    kernels::softmax_cross_entropy(batch, classes, logits, labels, scratch, loss, correct, dlogits, stream_.get());
}

}  // namespace nst::cuda
