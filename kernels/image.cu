// The CUDA backend's image ops (image.cuh): bytes travel to and from the host through one device scratch
// buffer, converted there.
#include "cuda/cuda_backend.hpp"
#include "image.cuh"

namespace nst::cuda {

void CudaBackend::image_to_tensor(const std::uint8_t* host_rgb, int height, int width, const float mean[3], float* x) {
    const std::size_t bytes = static_cast<std::size_t>(height) * width * 3;
    ensure(image_scratch_, bytes);
    CHECK_CUDA(cudaMemcpyAsync(image_scratch_.data(), host_rgb, bytes, cudaMemcpyHostToDevice, stream_.get()));
    kernels::image_to_tensor(image_scratch_.data(), height, width, {{mean[0], mean[1], mean[2]}}, x, stream_.get());
}

void CudaBackend::tensor_to_image(const float* x, int height, int width, const float mean[3], std::uint8_t* host_rgb) {
    const std::size_t bytes = static_cast<std::size_t>(height) * width * 3;
    ensure(image_scratch_, bytes);
    kernels::tensor_to_image(x, height, width, {{mean[0], mean[1], mean[2]}}, image_scratch_.data(), stream_.get());
    CHECK_CUDA(cudaMemcpyAsync(host_rgb, image_scratch_.data(), bytes, cudaMemcpyDeviceToHost, stream_.get()));
    CHECK_CUDA(cudaStreamSynchronize(stream_.get()));
}

void CudaBackend::noise_init(const float* content, std::size_t count, std::uint64_t seed, float ratio, float* out) {
    kernels::noise_init(content, count, seed, ratio, out, stream_.get());
}

}  // namespace nst::cuda
