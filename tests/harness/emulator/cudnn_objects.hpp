// The emulated cuDNN's handle and descriptors, and what its files share: the validity of a handle or a
// descriptor, the last error's detail (cudnnGetLastErrorString), the status a refusal returns, and the
// queueing of a computation on the handle's stream. Private to the emulator.
#pragma once

#include <cudnn.h>  // the stand-in

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "device.hpp"

struct nst_emulated_cudnn {
    nst::emulated::Stream* stream = nullptr;
};
struct nst_emulated_tensor {
    bool set = false;
    cudnnDataType_t type = CUDNN_DATA_FLOAT;
    std::array<int, 4> dims{};     // n, c, h, w
    std::array<int, 4> strides{};  // in elements, for n, c, h, w
};
struct nst_emulated_filter {
    bool set = false;
    cudnnDataType_t type = CUDNN_DATA_FLOAT;
    cudnnTensorFormat_t format = CUDNN_TENSOR_NCHW;
    std::array<int, 4> dims{};  // k (out), c (in), r (rows), s (cols)
    std::array<int, 4> strides{};
};
struct nst_emulated_convolution {
    bool set = false;
    int pad_h = 0, pad_w = 0, stride_h = 1, stride_w = 1, dilation_h = 1, dilation_w = 1;
    cudnnConvolutionMode_t mode = CUDNN_CROSS_CORRELATION;
    cudnnDataType_t compute = CUDNN_DATA_FLOAT;
    cudnnMathType_t math = CUDNN_DEFAULT_MATH;
};
struct nst_emulated_pooling {
    bool set = false;
    cudnnPoolingMode_t mode = CUDNN_POOLING_MAX;
    cudnnNanPropagation_t nan = CUDNN_NOT_PROPAGATE_NAN;
    int window_h = 0, window_w = 0, pad_h = 0, pad_w = 0, stride_h = 1, stride_w = 1;
};
struct nst_emulated_activation {
    bool set = false;
    cudnnActivationMode_t mode = CUDNN_ACTIVATION_RELU;
    cudnnNanPropagation_t nan = CUDNN_NOT_PROPAGATE_NAN;
    double coef = 0.0;
};

// Returns a refusal from the enclosing cuDNN call.
#define NST_DNN_TRY(stmt)                                                \
    do {                                                                 \
        if (const cudnnStatus_t s_ = (stmt); s_ != CUDNN_STATUS_SUCCESS) \
            return s_;                                                   \
    } while (0)

namespace nst::emulated::dnn {

// Sets the detail cudnnGetLastErrorString returns, reports it, and returns `status`.
cudnnStatus_t refuse(cudnnStatus_t status, const std::string& why);
void clear_error();

bool valid(cudnnHandle_t h);
// A set descriptor of that kind, or a refusal (BAD_PARAM) naming `what`.
cudnnStatus_t usable(const char* call, const char* what, cudnnTensorDescriptor_t d);
cudnnStatus_t usable(const char* call, const char* what, cudnnFilterDescriptor_t d);
cudnnStatus_t usable(const char* call, const char* what, cudnnConvolutionDescriptor_t d);
cudnnStatus_t usable(const char* call, const char* what, cudnnPoolingDescriptor_t d);
cudnnStatus_t usable(const char* call, const char* what, cudnnActivationDescriptor_t d);

// The elements a tensor's strides reach: 1 + Σ (dim − 1)·stride.
std::size_t span(const nst_emulated_tensor& t);
std::size_t span(const nst_emulated_filter& f);
// Device memory holding `elements` floats at `p`, or a refusal naming `what`.
cudnnStatus_t device_operand(const char* call, const char* what, const void* p, std::size_t elements);
// A host scaling factor (alpha, beta): non-null, not device memory.
cudnnStatus_t host_scalar(const char* call, const char* what, const void* p);

// Queues `work` on the handle's stream (its pointers checked for cross-stream use); a refusal otherwise.
cudnnStatus_t queue(cudnnHandle_t h, const char* call, std::vector<const void*> pointers,
                    std::function<std::string()> work, double cost_us);

// The elements of a tensor of these dimensions.
inline std::size_t elements(const std::array<int, 4>& d) {
    return std::size_t(d[0]) * d[1] * d[2] * d[3];
}

// Index of element (n, c, h, w) under the strides.
inline std::size_t at(const std::array<int, 4>& s, std::int64_t n, std::int64_t c, std::int64_t h, std::int64_t w) {
    return static_cast<std::size_t>(n * s[0] + c * s[1] + h * s[2] + w * s[3]);
}

}  // namespace nst::emulated::dnn
