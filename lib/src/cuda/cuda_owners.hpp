// Move-only owners of CUDA, cuBLAS and cuDNN resources: device buffers, handles, descriptors, streams,
// events. Destructors never throw; a failure to release is logged to stderr. Private to libnst.
#pragma once

#include <cstddef>
#include <memory>
#include <type_traits>
#include <utility>

#include "cublas_check.hpp"
#include "cudnn_check.hpp"

namespace nst::cuda {

// `count` elements of T in device memory (uninitialised). Copies between host and device are explicit
// calls, never implicit copies of the owner.
template <class T>
class DeviceBuffer {
public:
    DeviceBuffer() = default;
    explicit DeviceBuffer(std::size_t count) : count_(count) {
        if (count_ > 0) CHECK_CUDA(cudaMalloc(reinterpret_cast<void**>(&data_), count_ * sizeof(T)));
    }
    ~DeviceBuffer() { release(); }

    DeviceBuffer(const DeviceBuffer&) = delete;
    DeviceBuffer& operator=(const DeviceBuffer&) = delete;
    DeviceBuffer(DeviceBuffer&& other) noexcept
        : data_(std::exchange(other.data_, nullptr)), count_(std::exchange(other.count_, 0)) {}
    DeviceBuffer& operator=(DeviceBuffer&& other) noexcept {
        if (this != &other) {
            release();
            data_ = std::exchange(other.data_, nullptr);
            count_ = std::exchange(other.count_, 0);
        }
        return *this;
    }

    T* data() const noexcept { return data_; }
    std::size_t size() const noexcept { return count_; }
    std::size_t bytes() const noexcept { return count_ * sizeof(T); }
    bool empty() const noexcept { return count_ == 0; }

private:
    void release() noexcept {
        if (data_ != nullptr) log_cleanup_error("cudaFree", cudaFree(data_));
        data_ = nullptr;
        count_ = 0;
    }

    T* data_ = nullptr;
    std::size_t count_ = 0;
};

// Synchronous copies of a whole buffer (the sizes must match: nst::Error otherwise).
void copy_to_device(const float* host, std::size_t count, DeviceBuffer<float>& device);
void copy_to_host(const DeviceBuffer<float>& device, float* host, std::size_t count);

#define NST_DEFINE_OWNER_(Owner, Handle, destroy)                                             \
    struct Owner##Deleter {                                                                   \
        void operator()(Handle h) const noexcept { log_cleanup_error(#destroy, destroy(h)); } \
    };                                                                                        \
    using Owner = std::unique_ptr<std::remove_pointer_t<Handle>, Owner##Deleter>

NST_DEFINE_OWNER_(CudnnHandle, cudnnHandle_t, cudnnDestroy);
NST_DEFINE_OWNER_(CublasHandle, cublasHandle_t, cublasDestroy);
NST_DEFINE_OWNER_(TensorDescriptor, cudnnTensorDescriptor_t, cudnnDestroyTensorDescriptor);
NST_DEFINE_OWNER_(FilterDescriptor, cudnnFilterDescriptor_t, cudnnDestroyFilterDescriptor);
NST_DEFINE_OWNER_(ConvolutionDescriptor, cudnnConvolutionDescriptor_t, cudnnDestroyConvolutionDescriptor);
NST_DEFINE_OWNER_(PoolingDescriptor, cudnnPoolingDescriptor_t, cudnnDestroyPoolingDescriptor);
NST_DEFINE_OWNER_(ActivationDescriptor, cudnnActivationDescriptor_t, cudnnDestroyActivationDescriptor);
NST_DEFINE_OWNER_(Stream, cudaStream_t, cudaStreamDestroy);
NST_DEFINE_OWNER_(Event, cudaEvent_t, cudaEventDestroy);

#undef NST_DEFINE_OWNER_

// Each make_* creates and configures one resource or throws nst::Error.
CudnnHandle make_cudnn_handle();
CublasHandle make_cublas_handle();
// float32 NCHW, fully packed.
TensorDescriptor make_tensor_descriptor(int n, int c, int h, int w);
// float32 KCRS (out, in, rows, cols): the layout libnst's filters use on both backends.
FilterDescriptor make_filter_descriptor(int out_channels, int in_channels, int rows, int cols);
// Cross-correlation, symmetric padding, float32 compute.
ConvolutionDescriptor make_convolution_descriptor(int pad, int stride);
PoolingDescriptor make_pooling_descriptor(cudnnPoolingMode_t mode, int window, int pad, int stride);
// ReLU that does not propagate NaN (clip value unused).
ActivationDescriptor make_relu_descriptor();
Stream make_stream();  // non-blocking with respect to the legacy default stream
Event make_event();    // timing enabled

}  // namespace nst::cuda
