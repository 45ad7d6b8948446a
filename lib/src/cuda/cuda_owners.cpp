#include "cuda_owners.hpp"

#include <cfloat>
#include <cstdint>
#include <string>

namespace nst::cuda {

void copy_to_device(const float* host, std::size_t count, DeviceBuffer<float>& device) {
    if (count != device.size())
        throw Error("copy_to_device: " + std::to_string(count) + " host elements into a device buffer of " +
                    std::to_string(device.size()));
    if (count > 0) CHECK_CUDA(cudaMemcpy(device.data(), host, device.bytes(), cudaMemcpyHostToDevice));
}

void copy_to_host(const DeviceBuffer<float>& device, float* host, std::size_t count) {
    if (count != device.size())
        throw Error("copy_to_host: a device buffer of " + std::to_string(device.size()) + " elements into " +
                    std::to_string(count) + " host elements");
    if (count > 0) CHECK_CUDA(cudaMemcpy(host, device.data(), device.bytes(), cudaMemcpyDeviceToHost));
}

CudnnHandle make_cudnn_handle() {
    cudnnHandle_t h = nullptr;
    CHECK_CUDNN(cudnnCreate(&h));
    return CudnnHandle(h);
}

CublasHandle make_cublas_handle() {
    cublasHandle_t h = nullptr;
    CHECK_CUBLAS(cublasCreate(&h));
    return CublasHandle(h);
}

TensorDescriptor make_tensor_descriptor(int n, int c, int h, int w) {
    // cuDNN's strides are int: a tensor must have fewer than 2³¹ elements (nst::plan_transfer keeps the
    // engine's tensors below this, tiling when it must; here it is enforced for every caller).
    if (1ll * n * c * h * w > INT32_MAX)
        throw Error("tensor " + std::to_string(n) + "x" + std::to_string(c) + "x" + std::to_string(h) + "x" +
                    std::to_string(w) + " has 2^31 or more elements: cuDNN's descriptors cannot hold it");
    cudnnTensorDescriptor_t d = nullptr;
    CHECK_CUDNN(cudnnCreateTensorDescriptor(&d));
    TensorDescriptor owner(d);
    CHECK_CUDNN(cudnnSetTensor4dDescriptor(d, CUDNN_TENSOR_NCHW, CUDNN_DATA_FLOAT, n, c, h, w));
    return owner;
}

FilterDescriptor make_filter_descriptor(int out_channels, int in_channels, int rows, int cols) {
    cudnnFilterDescriptor_t d = nullptr;
    CHECK_CUDNN(cudnnCreateFilterDescriptor(&d));
    FilterDescriptor owner(d);
    CHECK_CUDNN(cudnnSetFilter4dDescriptor(d, CUDNN_DATA_FLOAT, CUDNN_TENSOR_NCHW, out_channels, in_channels,
                                           rows, cols));
    return owner;
}

ConvolutionDescriptor make_convolution_descriptor(int pad, int stride) {
    cudnnConvolutionDescriptor_t d = nullptr;
    CHECK_CUDNN(cudnnCreateConvolutionDescriptor(&d));
    ConvolutionDescriptor owner(d);
    CHECK_CUDNN(cudnnSetConvolution2dDescriptor(d, pad, pad, stride, stride, 1, 1, CUDNN_CROSS_CORRELATION,
                                                CUDNN_DATA_FLOAT));
    return owner;
}

PoolingDescriptor make_pooling_descriptor(cudnnPoolingMode_t mode, int window, int pad, int stride) {
    // cuDNN accepts negative padding without complaint (docs/cuda-notes.md): refuse it here.
    if (window <= 0 || pad < 0 || stride <= 0)
        throw Error("pooling descriptor: window " + std::to_string(window) + ", pad " + std::to_string(pad) +
                    ", stride " + std::to_string(stride) + " (window and stride must be positive, pad >= 0)");
    cudnnPoolingDescriptor_t d = nullptr;
    CHECK_CUDNN(cudnnCreatePoolingDescriptor(&d));
    PoolingDescriptor owner(d);
    CHECK_CUDNN(cudnnSetPooling2dDescriptor(d, mode, CUDNN_NOT_PROPAGATE_NAN, window, window, pad, pad, stride,
                                            stride));
    return owner;
}

ActivationDescriptor make_relu_descriptor() {
    cudnnActivationDescriptor_t d = nullptr;
    CHECK_CUDNN(cudnnCreateActivationDescriptor(&d));
    ActivationDescriptor owner(d);
    // NaN propagates, as through the CPU backend's max(x, 0): a diverging run stops alike on both backends.
    CHECK_CUDNN(cudnnSetActivationDescriptor(d, CUDNN_ACTIVATION_RELU, CUDNN_PROPAGATE_NAN, DBL_MAX));
    return owner;
}

Stream make_stream() {
    cudaStream_t s = nullptr;
    CHECK_CUDA(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));
    return Stream(s);
}

Event make_event() {
    cudaEvent_t e = nullptr;
    CHECK_CUDA(cudaEventCreate(&e));
    return Event(e);
}

}  // namespace nst::cuda
