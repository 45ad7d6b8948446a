// The emulated cuDNN's library calls, handle and descriptors, with cuDNN 9's checks: positive dimensions,
// known formats, data types and modes (BAD_PARAM), at most 2³¹ − 1 elements a tensor (NOT_SUPPORTED), and a
// descriptor used before it is set refused by every call that reads it.
#include <climits>
#include <cstring>
#include <set>

#include "cudnn_objects.hpp"

namespace em = nst::emulated;
namespace dnn = nst::emulated::dnn;

namespace {

std::string& last_error() {
    static std::string e;
    return e;
}

std::set<const void*>& live() {
    static std::set<const void*> objects;
    return objects;
}

template <class T>
cudnnStatus_t create(T** out) {
    if (out == nullptr) return dnn::refuse(CUDNN_STATUS_BAD_PARAM_NULL_POINTER, "a null descriptor pointer");
    *out = new T;
    live().insert(*out);
    return CUDNN_STATUS_SUCCESS;
}

template <class T>
cudnnStatus_t destroy(T* d) {
    if (d == nullptr) return CUDNN_STATUS_SUCCESS;
    if (live().erase(d) == 0) return dnn::refuse(CUDNN_STATUS_BAD_PARAM, "destroying a descriptor that does not exist");
    delete d;
    return CUDNN_STATUS_SUCCESS;
}

template <class T>
cudnnStatus_t usable_object(const char* call, const char* what, T* d) {
    if (d == nullptr || live().count(d) == 0)
        return dnn::refuse(CUDNN_STATUS_BAD_PARAM, std::string(call) + ": " + what + " is not a descriptor");
    if (!d->set)
        return dnn::refuse(CUDNN_STATUS_BAD_PARAM, std::string(call) + ": " + what + " is used before it was set");
    return CUDNN_STATUS_SUCCESS;
}

bool known_type(cudnnDataType_t t) {
    return t == CUDNN_DATA_FLOAT || t == CUDNN_DATA_DOUBLE || t == CUDNN_DATA_HALF;
}

bool known_format(cudnnTensorFormat_t f) {
    return f == CUDNN_TENSOR_NCHW || f == CUDNN_TENSOR_NHWC || f == CUDNN_TENSOR_NCHW_VECT_C;
}

// Packed strides of n, c, h, w in the format.
std::array<int, 4> packed(cudnnTensorFormat_t f, int c, int h, int w) {
    if (f == CUDNN_TENSOR_NHWC) return {h * w * c, 1, w * c, c};
    return {c * h * w, h * w, w, 1};
}

}  // namespace

namespace nst::emulated::dnn {

cudnnStatus_t refuse(cudnnStatus_t status, const std::string& why) {
    last_error() = why;
    em::report("cuDNN: " + why);
    return status;
}

void clear_error() {
    last_error().clear();
}

bool valid(cudnnHandle_t h) {
    return h != nullptr && live().count(h) != 0;
}

cudnnStatus_t usable(const char* c, const char* w, cudnnTensorDescriptor_t d) { return usable_object(c, w, d); }
cudnnStatus_t usable(const char* c, const char* w, cudnnFilterDescriptor_t d) { return usable_object(c, w, d); }
cudnnStatus_t usable(const char* c, const char* w, cudnnConvolutionDescriptor_t d) { return usable_object(c, w, d); }
cudnnStatus_t usable(const char* c, const char* w, cudnnPoolingDescriptor_t d) { return usable_object(c, w, d); }
cudnnStatus_t usable(const char* c, const char* w, cudnnActivationDescriptor_t d) { return usable_object(c, w, d); }

std::size_t span(const nst_emulated_tensor& t) {
    std::size_t s = 1;
    for (int i = 0; i < 4; ++i) s += std::size_t(t.dims[i] - 1) * std::size_t(t.strides[i]);
    return s;
}

std::size_t span(const nst_emulated_filter& f) {
    std::size_t s = 1;
    for (int i = 0; i < 4; ++i) s += std::size_t(f.dims[i] - 1) * std::size_t(f.strides[i]);
    return s;
}

cudnnStatus_t device_operand(const char* call, const char* what, const void* p, std::size_t elements) {
    std::string why;
    if (!em::device_range(p, elements * sizeof(float), &why))
        return refuse(p == nullptr ? CUDNN_STATUS_BAD_PARAM_NULL_POINTER : CUDNN_STATUS_BAD_PARAM,
                      std::string(call) + ": " + what + ": " + why);
    return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t host_scalar(const char* call, const char* what, const void* p) {
    if (p == nullptr) return refuse(CUDNN_STATUS_BAD_PARAM_NULL_POINTER, std::string(call) + ": a null " + what);
    if (em::where(p) == em::Where::Device)
        return refuse(CUDNN_STATUS_BAD_PARAM, std::string(call) + ": " + what + " must be a host pointer");
    return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t queue(cudnnHandle_t h, const char* call, std::vector<const void*> pointers,
                    std::function<std::string()> work, double cost_us) {
    if (em::sticky_error() != cudaSuccess) return CUDNN_STATUS_EXECUTION_FAILED;
    if (const std::string why = em::enqueue(h->stream, pointers, em::Op{call, std::move(work), cost_us}); !why.empty())
        return refuse(CUDNN_STATUS_BAD_PARAM_STREAM_MISMATCH, std::string(call) + ": " + why);
    return CUDNN_STATUS_SUCCESS;
}

}  // namespace nst::emulated::dnn

std::size_t cudnnGetVersion() {
    return CUDNN_VERSION;
}

const char* cudnnGetErrorString(cudnnStatus_t status) {
    switch (CUDNN_STATUS_CATEGORY(status)) {
        case CUDNN_STATUS_SUCCESS: return "CUDNN_STATUS_SUCCESS";
        case 1000: return "CUDNN_STATUS_NOT_INITIALIZED";
        case CUDNN_STATUS_BAD_PARAM: return "CUDNN_STATUS_BAD_PARAM";
        case CUDNN_STATUS_NOT_SUPPORTED: return "CUDNN_STATUS_NOT_SUPPORTED";
        case CUDNN_STATUS_INTERNAL_ERROR: return "CUDNN_STATUS_INTERNAL_ERROR";
        case CUDNN_STATUS_EXECUTION_FAILED: return "CUDNN_STATUS_EXECUTION_FAILED";
        default: return "CUDNN_UNKNOWN_STATUS";
    }
}

void cudnnGetLastErrorString(char* message, std::size_t max_size) {
    NST_EMULATED_API;
    if (message == nullptr || max_size == 0) return;
    std::strncpy(message, last_error().c_str(), max_size - 1);
    message[max_size - 1] = '\0';
    last_error().clear();
}

cudnnStatus_t cudnnCreate(cudnnHandle_t* handle) {
    NST_EMULATED_API;
    if (handle == nullptr) return dnn::refuse(CUDNN_STATUS_BAD_PARAM_NULL_POINTER, "cudnnCreate: a null handle pointer");
    em::make_context();
    cudnnStatus_t s = create(handle);
    bool ok = false;
    if (s == CUDNN_STATUS_SUCCESS) (*handle)->stream = em::resolve(nullptr, &ok);
    return s;
}

cudnnStatus_t cudnnDestroy(cudnnHandle_t handle) {
    NST_EMULATED_API;
    return destroy(handle);
}

cudnnStatus_t cudnnSetStream(cudnnHandle_t handle, cudaStream_t stream) {
    NST_EMULATED_API;
    if (!dnn::valid(handle)) return dnn::refuse(CUDNN_STATUS_BAD_PARAM, "cudnnSetStream: not a cuDNN handle");
    bool ok = false;
    em::Stream* s = em::resolve(stream, &ok);
    if (!ok) return dnn::refuse(CUDNN_STATUS_BAD_PARAM, "cudnnSetStream: not a stream");
    handle->stream = s;
    return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t cudnnGetStream(cudnnHandle_t handle, cudaStream_t* stream) {
    NST_EMULATED_API;
    if (!dnn::valid(handle) || stream == nullptr) return CUDNN_STATUS_BAD_PARAM;
    *stream = em::handle_of(handle->stream);
    return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t cudnnCreateTensorDescriptor(cudnnTensorDescriptor_t* d) { NST_EMULATED_API; return create(d); }
cudnnStatus_t cudnnDestroyTensorDescriptor(cudnnTensorDescriptor_t d) { NST_EMULATED_API; return destroy(d); }
cudnnStatus_t cudnnCreateFilterDescriptor(cudnnFilterDescriptor_t* d) { NST_EMULATED_API; return create(d); }
cudnnStatus_t cudnnDestroyFilterDescriptor(cudnnFilterDescriptor_t d) { NST_EMULATED_API; return destroy(d); }
cudnnStatus_t cudnnCreateConvolutionDescriptor(cudnnConvolutionDescriptor_t* d) { NST_EMULATED_API; return create(d); }
cudnnStatus_t cudnnDestroyConvolutionDescriptor(cudnnConvolutionDescriptor_t d) { NST_EMULATED_API; return destroy(d); }
cudnnStatus_t cudnnCreatePoolingDescriptor(cudnnPoolingDescriptor_t* d) { NST_EMULATED_API; return create(d); }
cudnnStatus_t cudnnDestroyPoolingDescriptor(cudnnPoolingDescriptor_t d) { NST_EMULATED_API; return destroy(d); }
cudnnStatus_t cudnnCreateActivationDescriptor(cudnnActivationDescriptor_t* d) { NST_EMULATED_API; return create(d); }
cudnnStatus_t cudnnDestroyActivationDescriptor(cudnnActivationDescriptor_t d) { NST_EMULATED_API; return destroy(d); }

cudnnStatus_t cudnnSetTensor4dDescriptor(cudnnTensorDescriptor_t d, cudnnTensorFormat_t format, cudnnDataType_t type,
                                         int n, int c, int h, int w) {
    NST_EMULATED_API;
    if (d == nullptr || live().count(d) == 0) return dnn::refuse(CUDNN_STATUS_BAD_PARAM, "cudnnSetTensor4dDescriptor: not a descriptor");
    if (!known_format(format) || !known_type(type) || n <= 0 || c <= 0 || h <= 0 || w <= 0)
        return dnn::refuse(CUDNN_STATUS_BAD_PARAM, "cudnnSetTensor4dDescriptor: " + std::to_string(n) + "x" +
                                                        std::to_string(c) + "x" + std::to_string(h) + "x" +
                                                        std::to_string(w) + " (dimensions must be positive)");
    if (format == CUDNN_TENSOR_NCHW_VECT_C)
        return dnn::refuse(CUDNN_STATUS_BAD_PARAM, "cudnnSetTensor4dDescriptor: NCHW_VECT_C needs an 8-bit type");
    if (1ll * n * c * h * w > INT_MAX)
        return dnn::refuse(CUDNN_STATUS_NOT_SUPPORTED_SHAPE, "cudnnSetTensor4dDescriptor: 2^31 elements or more");
    *d = nst_emulated_tensor{true, type, {n, c, h, w}, packed(format, c, h, w)};
    return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t cudnnGetTensor4dDescriptor(cudnnTensorDescriptor_t d, cudnnDataType_t* type, int* n, int* c, int* h,
                                         int* w, int* ns, int* cs, int* hs, int* ws) {
    NST_EMULATED_API;
    if (const cudnnStatus_t s = dnn::usable("cudnnGetTensor4dDescriptor", "the descriptor", d); s != CUDNN_STATUS_SUCCESS)
        return s;
    *type = d->type;
    *n = d->dims[0], *c = d->dims[1], *h = d->dims[2], *w = d->dims[3];
    *ns = d->strides[0], *cs = d->strides[1], *hs = d->strides[2], *ws = d->strides[3];
    return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t cudnnSetFilter4dDescriptor(cudnnFilterDescriptor_t d, cudnnDataType_t type, cudnnTensorFormat_t format,
                                         int k, int c, int h, int w) {
    NST_EMULATED_API;
    if (d == nullptr || live().count(d) == 0) return dnn::refuse(CUDNN_STATUS_BAD_PARAM, "cudnnSetFilter4dDescriptor: not a descriptor");
    if (!known_format(format) || format == CUDNN_TENSOR_NCHW_VECT_C || !known_type(type) || k <= 0 || c <= 0 || h <= 0 ||
        w <= 0)
        return dnn::refuse(CUDNN_STATUS_BAD_PARAM, "cudnnSetFilter4dDescriptor: bad format, type or dimensions");
    *d = nst_emulated_filter{true, type, format, {k, c, h, w}, packed(format, c, h, w)};
    return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t cudnnSetConvolution2dDescriptor(cudnnConvolutionDescriptor_t d, int pad_h, int pad_w, int u, int v,
                                              int dilation_h, int dilation_w, cudnnConvolutionMode_t mode,
                                              cudnnDataType_t compute) {
    NST_EMULATED_API;
    if (d == nullptr || live().count(d) == 0)
        return dnn::refuse(CUDNN_STATUS_BAD_PARAM, "cudnnSetConvolution2dDescriptor: not a descriptor");
    if (pad_h < 0 || pad_w < 0 || u <= 0 || v <= 0 || dilation_h <= 0 || dilation_w <= 0 ||
        (mode != CUDNN_CONVOLUTION && mode != CUDNN_CROSS_CORRELATION) || !known_type(compute))
        return dnn::refuse(CUDNN_STATUS_BAD_PARAM, "cudnnSetConvolution2dDescriptor: negative padding, a stride or "
                                                   "dilation below 1, or an unknown mode or type");
    const cudnnMathType_t math = d->math;
    *d = nst_emulated_convolution{true, pad_h, pad_w, u, v, dilation_h, dilation_w, mode, compute, math};
    return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t cudnnSetConvolutionMathType(cudnnConvolutionDescriptor_t d, cudnnMathType_t math) {
    NST_EMULATED_API;
    if (d == nullptr || live().count(d) == 0) return dnn::refuse(CUDNN_STATUS_BAD_PARAM, "cudnnSetConvolutionMathType: not a descriptor");
    if (math < CUDNN_DEFAULT_MATH || math > CUDNN_FMA_MATH)
        return dnn::refuse(CUDNN_STATUS_BAD_PARAM, "cudnnSetConvolutionMathType: not a math type");
    d->math = math;
    return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t cudnnGetConvolutionMathType(cudnnConvolutionDescriptor_t d, cudnnMathType_t* math) {
    NST_EMULATED_API;
    if (d == nullptr || live().count(d) == 0 || math == nullptr) return CUDNN_STATUS_BAD_PARAM;
    *math = d->math;
    return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t cudnnSetPooling2dDescriptor(cudnnPoolingDescriptor_t d, cudnnPoolingMode_t mode, cudnnNanPropagation_t nan,
                                          int wh, int ww, int ph, int pw, int sh, int sw) {
    NST_EMULATED_API;
    if (d == nullptr || live().count(d) == 0) return dnn::refuse(CUDNN_STATUS_BAD_PARAM, "cudnnSetPooling2dDescriptor: not a descriptor");
    // Negative padding is accepted, as cuDNN accepts it (docs/cuda-notes.md).
    if (mode < CUDNN_POOLING_MAX || mode > CUDNN_POOLING_MAX_DETERMINISTIC || wh <= 0 || ww <= 0 || sh <= 0 || sw <= 0 ||
        (nan != CUDNN_NOT_PROPAGATE_NAN && nan != CUDNN_PROPAGATE_NAN))
        return dnn::refuse(CUDNN_STATUS_BAD_PARAM, "cudnnSetPooling2dDescriptor: bad mode, window or stride");
    *d = nst_emulated_pooling{true, mode, nan, wh, ww, ph, pw, sh, sw};
    return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t cudnnSetActivationDescriptor(cudnnActivationDescriptor_t d, cudnnActivationMode_t mode,
                                           cudnnNanPropagation_t nan, double coef) {
    NST_EMULATED_API;
    if (d == nullptr || live().count(d) == 0) return dnn::refuse(CUDNN_STATUS_BAD_PARAM, "cudnnSetActivationDescriptor: not a descriptor");
    if (mode < CUDNN_ACTIVATION_SIGMOID || mode > CUDNN_ACTIVATION_SWISH ||
        (nan != CUDNN_NOT_PROPAGATE_NAN && nan != CUDNN_PROPAGATE_NAN))
        return dnn::refuse(CUDNN_STATUS_BAD_PARAM, "cudnnSetActivationDescriptor: bad mode or NaN option");
    *d = nst_emulated_activation{true, mode, nan, coef};
    return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t cudnnGetPooling2dForwardOutputDim(cudnnPoolingDescriptor_t d, cudnnTensorDescriptor_t x, int* n, int* c,
                                                int* h, int* w) {
    NST_EMULATED_API;
    if (dnn::usable("cudnnGetPooling2dForwardOutputDim", "the pooling", d) != CUDNN_STATUS_SUCCESS ||
        dnn::usable("cudnnGetPooling2dForwardOutputDim", "x", x) != CUDNN_STATUS_SUCCESS)
        return CUDNN_STATUS_BAD_PARAM;
    *n = x->dims[0];
    *c = x->dims[1];
    *h = 1 + (x->dims[2] + 2 * d->pad_h - d->window_h) / d->stride_h;
    *w = 1 + (x->dims[3] + 2 * d->pad_w - d->window_w) / d->stride_w;
    return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t cudnnGetConvolution2dForwardOutputDim(cudnnConvolutionDescriptor_t conv, cudnnTensorDescriptor_t x,
                                                    cudnnFilterDescriptor_t w, int* n, int* c, int* h, int* wd) {
    NST_EMULATED_API;
    const char* call = "cudnnGetConvolution2dForwardOutputDim";
    if (dnn::usable(call, "the convolution", conv) != CUDNN_STATUS_SUCCESS ||
        dnn::usable(call, "x", x) != CUDNN_STATUS_SUCCESS || dnn::usable(call, "w", w) != CUDNN_STATUS_SUCCESS)
        return CUDNN_STATUS_BAD_PARAM;
    if (x->dims[1] != w->dims[1]) return dnn::refuse(CUDNN_STATUS_BAD_PARAM, std::string(call) + ": x and w disagree on channels");
    *n = x->dims[0];
    *c = w->dims[0];
    *h = 1 + (x->dims[2] + 2 * conv->pad_h - (conv->dilation_h * (w->dims[2] - 1) + 1)) / conv->stride_h;
    *wd = 1 + (x->dims[3] + 2 * conv->pad_w - (conv->dilation_w * (w->dims[3] - 1) + 1)) / conv->stride_w;
    return CUDNN_STATUS_SUCCESS;
}
