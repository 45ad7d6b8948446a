// The emulated cuDNN's tensor ops: cudnnAddTensor (broadcast over dimensions of size 1), the activation
// forward and backward, and pooling forward and backward (max: the first maximum of a window in row-major
// order receives the gradient, as the deterministic mode does; average: padding excluded or included as the
// mode says). NaN follows the descriptor's option: propagated, or dropped (max and ReLU then ignore it).
// dst = alpha·result + beta·dst, dst not read when beta = 0.
#include <cmath>
#include <limits>
#include <memory>

#include "cudnn_conv.hpp"

namespace em = nst::emulated;
namespace dnn = nst::emulated::dnn;

namespace {

double scalar(const void* p) {
    return *static_cast<const float*>(p);
}

cudnnStatus_t same_dims(const char* call, const char* a, cudnnTensorDescriptor_t x, const char* b,
                        cudnnTensorDescriptor_t y) {
    if (x->dims != y->dims)
        return dnn::refuse(CUDNN_STATUS_BAD_PARAM, std::string(call) + ": " + a + " and " + b + " differ in shape");
    if (x->type != CUDNN_DATA_FLOAT || y->type != CUDNN_DATA_FLOAT)
        return dnn::refuse(CUDNN_STATUS_NOT_SUPPORTED_DATA_TYPE, std::string(call) + ": only float32 is emulated");
    return CUDNN_STATUS_SUCCESS;
}

// v(n, c, h, w) for every element of dims, with its dense index.
template <class F>
void each(const std::array<int, 4>& d, F f) {
    std::size_t i = 0;
    for (int n = 0; n < d[0]; ++n)
        for (int c = 0; c < d[1]; ++c)
            for (int h = 0; h < d[2]; ++h)
                for (int w = 0; w < d[3]; ++w, ++i) f(i, n, c, h, w);
}

struct Window {
    int h0, h1, w0, w1;  // in-range rows and columns [h0, h1) x [w0, w1)
    int full;            // the window's size, padding included
};

Window window(const nst_emulated_pooling& p, const nst_emulated_tensor& x, int oh, int ow) {
    const int h = oh * p.stride_h - p.pad_h, w = ow * p.stride_w - p.pad_w;
    return Window{std::max(h, 0), std::min(h + p.window_h, x.dims[2]), std::max(w, 0),
                  std::min(w + p.window_w, x.dims[3]), p.window_h * p.window_w};
}

bool is_max(const nst_emulated_pooling& p) {
    return p.mode == CUDNN_POOLING_MAX || p.mode == CUDNN_POOLING_MAX_DETERMINISTIC;
}

// The window's maximum and where it is (the first one), or its average.
double pooled(const nst_emulated_pooling& p, const nst_emulated_tensor& xd, const float* x, int n, int c, const Window& w,
              std::size_t* where) {
    double best = -std::numeric_limits<double>::infinity(), sum = 0.0;
    bool nan = false;
    *where = SIZE_MAX;
    for (int h = w.h0; h < w.h1; ++h)
        for (int v = w.w0; v < w.w1; ++v) {
            const std::size_t i = dnn::at(xd.strides, n, c, h, v);
            const double value = x[i];
            nan = nan || std::isnan(value);
            sum += value;
            if (value > best) best = value, *where = i;
        }
    if (is_max(p)) return nan && p.nan == CUDNN_PROPAGATE_NAN ? NAN : best;
    const int counted = p.mode == CUDNN_POOLING_AVERAGE_COUNT_INCLUDE_PADDING ? w.full : (w.h1 - w.h0) * (w.w1 - w.w0);
    return counted > 0 ? sum / counted : 0.0;
}

// The pooling descriptor and x set, and y of the pooling's output size.
cudnnStatus_t pooling_shapes(const char* call, cudnnPoolingDescriptor_t pool, cudnnTensorDescriptor_t xd,
                             cudnnTensorDescriptor_t yd) {
    NST_DNN_TRY(dnn::usable(call, "the pooling descriptor", pool));
    NST_DNN_TRY(dnn::usable(call, "x's descriptor", xd));
    NST_DNN_TRY(dnn::usable(call, "y's descriptor", yd));
    int n = 0, c = 0, oh = 0, ow = 0;
    NST_DNN_TRY(cudnnGetPooling2dForwardOutputDim(pool, xd, &n, &c, &oh, &ow));
    if (yd->dims != std::array<int, 4>{n, c, oh, ow})
        return dnn::refuse(CUDNN_STATUS_BAD_PARAM, std::string(call) + ": y is not the pooling's output size");
    return CUDNN_STATUS_SUCCESS;
}

}  // namespace

cudnnStatus_t cudnnAddTensor(cudnnHandle_t h, const void* alpha, cudnnTensorDescriptor_t ad, const void* a,
                             const void* beta, cudnnTensorDescriptor_t cd, void* c) {
    NST_EMULATED_API;
    const char* call = "cudnnAddTensor";
    if (!dnn::valid(h)) return dnn::refuse(CUDNN_STATUS_BAD_PARAM, std::string(call) + ": not a cuDNN handle");
    NST_DNN_TRY(dnn::usable(call, "A's descriptor", ad));
    NST_DNN_TRY(dnn::usable(call, "C's descriptor", cd));
    NST_DNN_TRY(dnn::host_scalar(call, "alpha", alpha));
    NST_DNN_TRY(dnn::host_scalar(call, "beta", beta));
    for (int i = 0; i < 4; ++i)
        if (ad->dims[i] != 1 && ad->dims[i] != cd->dims[i])
            return dnn::refuse(CUDNN_STATUS_BAD_PARAM, std::string(call) + ": A's dimensions neither match C's nor are 1");
    NST_DNN_TRY(dnn::device_operand(call, "A", a, dnn::span(*ad)));
    NST_DNN_TRY(dnn::device_operand(call, "C", c, dnn::span(*cd)));
    const nst_emulated_tensor A = *ad, C = *cd;
    const double al = scalar(alpha), be = scalar(beta);
    const auto* af = static_cast<const float*>(a);
    auto* cf = static_cast<float*>(c);
    return dnn::queue(h, call, {a, c}, [=] {
        std::vector<double> r(dnn::elements(C.dims));
        each(C.dims, [&](std::size_t i, int n, int ch, int y, int x) {
            r[i] = af[dnn::at(A.strides, A.dims[0] == 1 ? 0 : n, A.dims[1] == 1 ? 0 : ch, A.dims[2] == 1 ? 0 : y,
                              A.dims[3] == 1 ? 0 : x)];
        });
        dnn::blend(C.dims, C.strides, r, al, be, cf);
        return std::string();
    }, 1.0 + dnn::elements(C.dims) / 1e3);
}

cudnnStatus_t cudnnActivationForward(cudnnHandle_t h, cudnnActivationDescriptor_t act, const void* alpha,
                                     cudnnTensorDescriptor_t xd, const void* x, const void* beta,
                                     cudnnTensorDescriptor_t yd, void* y) {
    NST_EMULATED_API;
    const char* call = "cudnnActivationForward";
    if (!dnn::valid(h)) return dnn::refuse(CUDNN_STATUS_BAD_PARAM, std::string(call) + ": not a cuDNN handle");
    NST_DNN_TRY(dnn::usable(call, "the activation descriptor", act));
    NST_DNN_TRY(dnn::usable(call, "x's descriptor", xd));
    NST_DNN_TRY(dnn::usable(call, "y's descriptor", yd));
    NST_DNN_TRY(same_dims(call, "x", xd, "y", yd));
    if (act->mode != CUDNN_ACTIVATION_RELU)
        return dnn::refuse(CUDNN_STATUS_NOT_SUPPORTED, std::string(call) + ": only ReLU is emulated");
    NST_DNN_TRY(dnn::host_scalar(call, "alpha", alpha));
    NST_DNN_TRY(dnn::host_scalar(call, "beta", beta));
    NST_DNN_TRY(dnn::device_operand(call, "x", x, dnn::span(*xd)));
    NST_DNN_TRY(dnn::device_operand(call, "y", y, dnn::span(*yd)));
    const nst_emulated_tensor X = *xd, Y = *yd;
    const bool propagate = act->nan == CUDNN_PROPAGATE_NAN;
    const double al = scalar(alpha), be = scalar(beta);
    const auto* xf = static_cast<const float*>(x);
    auto* yf = static_cast<float*>(y);
    return dnn::queue(h, call, {x, y}, [=] {
        std::vector<double> r(dnn::elements(X.dims));
        each(X.dims, [&](std::size_t i, int n, int c, int hh, int w) {
            const double v = xf[dnn::at(X.strides, n, c, hh, w)];
            r[i] = std::isnan(v) ? (propagate ? v : 0.0) : (v > 0.0 ? v : 0.0);
        });
        dnn::blend(Y.dims, Y.strides, r, al, be, yf);
        return std::string();
    }, 1.0 + dnn::elements(X.dims) / 1e3);
}

cudnnStatus_t cudnnActivationBackward(cudnnHandle_t h, cudnnActivationDescriptor_t act, const void* alpha,
                                      cudnnTensorDescriptor_t yd, const void* y, cudnnTensorDescriptor_t dyd,
                                      const void* dy, cudnnTensorDescriptor_t xd, const void* x, const void* beta,
                                      cudnnTensorDescriptor_t dxd, void* dx) {
    NST_EMULATED_API;
    const char* call = "cudnnActivationBackward";
    if (!dnn::valid(h)) return dnn::refuse(CUDNN_STATUS_BAD_PARAM, std::string(call) + ": not a cuDNN handle");
    NST_DNN_TRY(dnn::usable(call, "the activation descriptor", act));
    for (cudnnTensorDescriptor_t d : {yd, dyd, xd, dxd}) NST_DNN_TRY(dnn::usable(call, "a tensor descriptor", d));
    NST_DNN_TRY(same_dims(call, "y", yd, "dy", dyd));
    NST_DNN_TRY(same_dims(call, "y", yd, "x", xd));
    NST_DNN_TRY(same_dims(call, "x", xd, "dx", dxd));
    if (act->mode != CUDNN_ACTIVATION_RELU)
        return dnn::refuse(CUDNN_STATUS_NOT_SUPPORTED, std::string(call) + ": only ReLU is emulated");
    if (dy == dx && dyd->strides != dxd->strides)
        return dnn::refuse(CUDNN_STATUS_BAD_PARAM, std::string(call) + ": dx over dy needs identical descriptors");
    NST_DNN_TRY(dnn::host_scalar(call, "alpha", alpha));
    NST_DNN_TRY(dnn::host_scalar(call, "beta", beta));
    NST_DNN_TRY(dnn::device_operand(call, "y", y, dnn::span(*yd)));
    NST_DNN_TRY(dnn::device_operand(call, "dy", dy, dnn::span(*dyd)));
    NST_DNN_TRY(dnn::device_operand(call, "x", x, dnn::span(*xd)));
    NST_DNN_TRY(dnn::device_operand(call, "dx", dx, dnn::span(*dxd)));
    const nst_emulated_tensor X = *xd, DY = *dyd, DX = *dxd;
    const double al = scalar(alpha), be = scalar(beta);
    const auto *xf = static_cast<const float*>(x), *dyf = static_cast<const float*>(dy);
    auto* dxf = static_cast<float*>(dx);
    return dnn::queue(h, call, {y, dy, x, dx}, [=] {
        std::vector<double> r(dnn::elements(X.dims));
        each(X.dims, [&](std::size_t i, int n, int c, int hh, int w) {
            r[i] = xf[dnn::at(X.strides, n, c, hh, w)] > 0.0f ? double(dyf[dnn::at(DY.strides, n, c, hh, w)]) : 0.0;
        });
        dnn::blend(DX.dims, DX.strides, r, al, be, dxf);
        return std::string();
    }, 1.0 + dnn::elements(X.dims) / 1e3);
}

cudnnStatus_t cudnnPoolingForward(cudnnHandle_t h, cudnnPoolingDescriptor_t pool, const void* alpha,
                                  cudnnTensorDescriptor_t xd, const void* x, const void* beta,
                                  cudnnTensorDescriptor_t yd, void* y) {
    NST_EMULATED_API;
    const char* call = "cudnnPoolingForward";
    if (!dnn::valid(h)) return dnn::refuse(CUDNN_STATUS_BAD_PARAM, std::string(call) + ": not a cuDNN handle");
    NST_DNN_TRY(pooling_shapes(call, pool, xd, yd));
    NST_DNN_TRY(dnn::host_scalar(call, "alpha", alpha));
    NST_DNN_TRY(dnn::host_scalar(call, "beta", beta));
    NST_DNN_TRY(dnn::device_operand(call, "x", x, dnn::span(*xd)));
    NST_DNN_TRY(dnn::device_operand(call, "y", y, dnn::span(*yd)));
    const nst_emulated_tensor X = *xd, Y = *yd;
    const nst_emulated_pooling P = *pool;
    const double al = scalar(alpha), be = scalar(beta);
    const auto* xf = static_cast<const float*>(x);
    auto* yf = static_cast<float*>(y);
    return dnn::queue(h, call, {x, y}, [=] {
        std::vector<double> r(dnn::elements(Y.dims));
        std::size_t where = 0;
        each(Y.dims, [&](std::size_t i, int b, int ch, int py, int px) {
            r[i] = pooled(P, X, xf, b, ch, window(P, X, py, px), &where);
        });
        dnn::blend(Y.dims, Y.strides, r, al, be, yf);
        return std::string();
    }, 1.0 + dnn::elements(X.dims) / 1e3);
}

cudnnStatus_t cudnnPoolingBackward(cudnnHandle_t h, cudnnPoolingDescriptor_t pool, const void* alpha,
                                   cudnnTensorDescriptor_t yd, const void* y, cudnnTensorDescriptor_t dyd,
                                   const void* dy, cudnnTensorDescriptor_t xd, const void* x, const void* beta,
                                   cudnnTensorDescriptor_t dxd, void* dx) {
    NST_EMULATED_API;
    const char* call = "cudnnPoolingBackward";
    if (!dnn::valid(h)) return dnn::refuse(CUDNN_STATUS_BAD_PARAM, std::string(call) + ": not a cuDNN handle");
    for (cudnnTensorDescriptor_t d : {dyd, dxd}) NST_DNN_TRY(dnn::usable(call, "a tensor descriptor", d));
    NST_DNN_TRY(pooling_shapes(call, pool, xd, yd));
    NST_DNN_TRY(same_dims(call, "y", yd, "dy", dyd));
    NST_DNN_TRY(same_dims(call, "x", xd, "dx", dxd));
    NST_DNN_TRY(dnn::host_scalar(call, "alpha", alpha));
    NST_DNN_TRY(dnn::host_scalar(call, "beta", beta));
    for (const auto& [p, d] : {std::pair{y, yd}, {dy, dyd}, {x, xd}, {static_cast<const void*>(dx), dxd}})
        NST_DNN_TRY(dnn::device_operand(call, "a tensor", p, dnn::span(*d)));
    const nst_emulated_tensor X = *xd, DY = *dyd, DX = *dxd;
    const nst_emulated_pooling P = *pool;
    const double al = scalar(alpha), be = scalar(beta);
    const auto *xf = static_cast<const float*>(x), *dyf = static_cast<const float*>(dy);
    auto* dxf = static_cast<float*>(dx);
    return dnn::queue(h, call, {y, dy, x, dx}, [=] {
        std::vector<double> g(dnn::elements(X.dims), 0.0);
        each(DY.dims, [&](std::size_t, int b, int ch, int py, int px) {
            const Window w = window(P, X, py, px);
            const double d = dyf[dnn::at(DY.strides, b, ch, py, px)];
            std::size_t where = 0;
            pooled(P, X, xf, b, ch, w, &where);
            const int counted = P.mode == CUDNN_POOLING_AVERAGE_COUNT_INCLUDE_PADDING ? w.full : (w.h1 - w.h0) * (w.w1 - w.w0);
            for (int hh = w.h0; hh < w.h1; ++hh)
                for (int v = w.w0; v < w.w1; ++v) {
                    const std::size_t i = ((std::size_t(b) * X.dims[1] + ch) * X.dims[2] + hh) * X.dims[3] + v;
                    if (is_max(P)) {
                        if (dnn::at(X.strides, b, ch, hh, v) == where) g[i] += d;
                    } else if (counted > 0) {
                        g[i] += d / counted;
                    }
                }
        });
        dnn::blend(DX.dims, DX.strides, g, al, be, dxf);
        return std::string();
    }, 1.0 + dnn::elements(X.dims) / 1e3);
}
