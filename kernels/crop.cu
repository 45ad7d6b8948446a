// The CUDA backend's crop and its adjoint (crop.cuh): tiles of a whole image or feature map.
#include "crop.cuh"
#include "cuda/cuda_backend.hpp"
#include "core/shape_checks.hpp"

namespace nst::cuda {

void CudaBackend::crop_forward(int channels, int height, int width, const CropWindow& window, const float* x,
                               float* y) {
    check_crop_window(channels, height, width, window);
    kernels::crop_forward(channels, height, width, window, x, y, stream_.get());
}

void CudaBackend::crop_backward(int channels, int height, int width, const CropWindow& window, const float* dy,
                                float* dx) {
    check_crop_window(channels, height, width, window);
    kernels::crop_backward(channels, height, width, window, dy, dx, stream_.get());
}

}  // namespace nst::cuda
