// The emulated cuDNN's convolution calls: forward, forward with bias and activation, backward-data and
// backward-filter. Each checks its descriptors, algorithm, workspace and pointers when it is called (as
// cuDNN does: a refusal runs nothing) and queues the computation on the handle's stream with the
// descriptors, scaling factors and math type as they were at the call.
#include <cmath>
#include <cstring>
#include <memory>

#include "cudnn_conv.hpp"

namespace em = nst::emulated;

namespace nst::emulated::dnn {

// The algorithm runs this problem, and the workspace is at least what cudnnGet*WorkspaceSize reported for it,
// in device memory.
cudnnStatus_t check_algorithm(const char* call, Direction d, int algo, const ConvProblem& p, const void* workspace,
                              std::size_t workspace_size, std::size_t* needed) {
    if (algo < 0 || algo >= algo_count(d))
        return refuse(CUDNN_STATUS_BAD_PARAM, std::string(call) + ": algorithm " + std::to_string(algo) + " does not exist");
    if (const std::string why = algo_support(d, algo, p); !why.empty())
        return refuse(CUDNN_STATUS_NOT_SUPPORTED_SHAPE, std::string(call) + ": " + why);
    *needed = workspace_bytes(d, algo, p);
    if (workspace_size < *needed)
        return refuse(CUDNN_STATUS_BAD_PARAM, std::string(call) + ": a workspace of " + std::to_string(workspace_size) +
                                                  " bytes, but " + algo_name(d, algo) + " needs " +
                                                  std::to_string(*needed) + " for this shape");
    std::string why;
    if (workspace_size > 0 && !em::device_range(workspace, workspace_size, &why))
        return refuse(CUDNN_STATUS_BAD_PARAM, std::string(call) + ": the workspace: " + why);
    return CUDNN_STATUS_SUCCESS;
}

// The kernels use the workspace: what was there is gone afterwards.
void scribble(void* workspace, std::size_t bytes) {
    if (bytes > 0) std::memset(workspace, 0x5A, bytes);
}

}  // namespace nst::emulated::dnn

namespace dnn = nst::emulated::dnn;
using dnn::Direction;

namespace {

float scalar(const void* p) {
    return *static_cast<const float*>(p);
}

double activate(const nst_emulated_activation& a, double v) {
    if (std::isnan(v)) return a.nan == CUDNN_PROPAGATE_NAN ? v : 0.0;
    return a.mode == CUDNN_ACTIVATION_RELU ? (v > 0.0 ? v : 0.0) : v;
}

// The bias call's own rules: ReLU or identity (identity only with IMPLICIT_PRECOMP_GEMM), z like y, bias 1xKx1x1.
cudnnStatus_t check_fused(const char* call, const dnn::ConvProblem& p, cudnnConvolutionFwdAlgo_t algo,
                          cudnnTensorDescriptor_t zd, cudnnTensorDescriptor_t bd, cudnnActivationDescriptor_t act) {
    NST_DNN_TRY(dnn::usable(call, "the activation descriptor", act));
    NST_DNN_TRY(dnn::usable(call, "z's descriptor", zd));
    NST_DNN_TRY(dnn::usable(call, "the bias descriptor", bd));
    if (act->mode != CUDNN_ACTIVATION_RELU && act->mode != CUDNN_ACTIVATION_IDENTITY)
        return dnn::refuse(CUDNN_STATUS_NOT_SUPPORTED, std::string(call) + ": the activation must be ReLU or identity");
    if (act->mode == CUDNN_ACTIVATION_IDENTITY && algo != CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_PRECOMP_GEMM)
        return dnn::refuse(CUDNN_STATUS_NOT_SUPPORTED,
                           std::string(call) + ": the identity activation needs IMPLICIT_PRECOMP_GEMM");
    if (dnn::fused_unsupported())
        return dnn::refuse(CUDNN_STATUS_NOT_SUPPORTED_SHAPE, std::string(call) + ": not supported (NST_EMULATED_SEED)");
    if (zd->dims != p.y->dims || zd->strides != p.y->strides)
        return dnn::refuse(CUDNN_STATUS_BAD_PARAM, std::string(call) + ": z's descriptor differs from y's");
    if (bd->dims != std::array<int, 4>{1, p.w->dims[0], 1, 1})
        return dnn::refuse(CUDNN_STATUS_BAD_PARAM, std::string(call) + ": the bias must be 1 x K x 1 x 1");
    return CUDNN_STATUS_SUCCESS;
}

}  // namespace

cudnnStatus_t cudnnConvolutionForward(cudnnHandle_t h, const void* alpha, cudnnTensorDescriptor_t xd, const void* x,
                                      cudnnFilterDescriptor_t wd, const void* w, cudnnConvolutionDescriptor_t conv,
                                      cudnnConvolutionFwdAlgo_t algo, void* ws, std::size_t ws_size, const void* beta,
                                      cudnnTensorDescriptor_t yd, void* y) {
    NST_EMULATED_API;
    const char* call = "cudnnConvolutionForward";
    if (!dnn::valid(h)) return dnn::refuse(CUDNN_STATUS_BAD_PARAM, std::string(call) + ": not a cuDNN handle");
    dnn::ConvProblem p;
    std::size_t need = 0;
    NST_DNN_TRY(dnn::check_problem(call, xd, wd, conv, yd, &p));
    NST_DNN_TRY(dnn::host_scalar(call, "alpha", alpha));
    NST_DNN_TRY(dnn::host_scalar(call, "beta", beta));
    NST_DNN_TRY(dnn::check_algorithm(call, Direction::Forward, algo, p, ws, ws_size, &need));
    NST_DNN_TRY(dnn::device_operand(call, "x", x, dnn::span(*xd)));
    NST_DNN_TRY(dnn::device_operand(call, "w", w, dnn::span(*wd)));
    NST_DNN_TRY(dnn::device_operand(call, "y", y, dnn::span(*yd)));
    auto owned = std::make_shared<const dnn::OwnedProblem>(p);
    const double a = scalar(alpha), b = scalar(beta);
    const dnn::Rounding r = dnn::rounding(conv->math);
    const auto* xf = static_cast<const float*>(x);
    const auto* wf = static_cast<const float*>(w);
    auto* yf = static_cast<float*>(y);
    return dnn::queue(h, call, {x, w, y, ws}, [=] {
        const dnn::ConvProblem v = owned->view();
        const float* xr = dnn::rounded(xf, dnn::span(owned->x), r, dnn::input_buffer(0));
        const float* wr = dnn::rounded(wf, dnn::span(owned->w), r, dnn::input_buffer(1));
        std::vector<double>& out = dnn::result_buffer();
        dnn::forward(v, xr, wr, out);
        dnn::scribble(ws, need);
        dnn::blend(owned->y.dims, owned->y.strides, out, a, b, yf);
        return std::string();
    }, dnn::cost_us(Direction::Forward, algo, p));
}

cudnnStatus_t cudnnConvolutionBiasActivationForward(
    cudnnHandle_t h, const void* alpha1, cudnnTensorDescriptor_t xd, const void* x, cudnnFilterDescriptor_t wd,
    const void* w, cudnnConvolutionDescriptor_t conv, cudnnConvolutionFwdAlgo_t algo, void* ws, std::size_t ws_size,
    const void* alpha2, cudnnTensorDescriptor_t zd, const void* z, cudnnTensorDescriptor_t bd, const void* bias,
    cudnnActivationDescriptor_t act, cudnnTensorDescriptor_t yd, void* y) {
    NST_EMULATED_API;
    const char* call = "cudnnConvolutionBiasActivationForward";
    if (!dnn::valid(h)) return dnn::refuse(CUDNN_STATUS_BAD_PARAM, std::string(call) + ": not a cuDNN handle");
    dnn::ConvProblem p;
    std::size_t need = 0;
    NST_DNN_TRY(dnn::check_problem(call, xd, wd, conv, yd, &p));
    NST_DNN_TRY(check_fused(call, p, algo, zd, bd, act));
    NST_DNN_TRY(dnn::host_scalar(call, "alpha1", alpha1));
    NST_DNN_TRY(dnn::host_scalar(call, "alpha2", alpha2));
    NST_DNN_TRY(dnn::check_algorithm(call, Direction::Forward, algo, p, ws, ws_size, &need));
    NST_DNN_TRY(dnn::device_operand(call, "x", x, dnn::span(*xd)));
    NST_DNN_TRY(dnn::device_operand(call, "w", w, dnn::span(*wd)));
    NST_DNN_TRY(dnn::device_operand(call, "z", z, dnn::span(*zd)));
    NST_DNN_TRY(dnn::device_operand(call, "bias", bias, std::size_t(p.w->dims[0])));
    NST_DNN_TRY(dnn::device_operand(call, "y", y, dnn::span(*yd)));
    auto owned = std::make_shared<const dnn::OwnedProblem>(p);
    const double a1 = scalar(alpha1), a2 = scalar(alpha2);
    const bool read_z = a2 != 0.0 || dnn::fused_reads_z();
    const nst_emulated_activation activation = *act;
    const dnn::Rounding r = dnn::rounding(conv->math);
    const auto *xf = static_cast<const float*>(x), *wf = static_cast<const float*>(w), *zf = static_cast<const float*>(z),
               *bf = static_cast<const float*>(bias);
    auto* yf = static_cast<float*>(y);
    const double cost = dnn::cost_us(Direction::Forward, algo, p) * (dnn::fused_slower() ? 2.5 : 0.9);
    return dnn::queue(h, call, {x, w, z, bias, y, ws}, [=] {
        const dnn::ConvProblem v = owned->view();
        const float* xr = dnn::rounded(xf, dnn::span(owned->x), r, dnn::input_buffer(0));
        const float* wr = dnn::rounded(wf, dnn::span(owned->w), r, dnn::input_buffer(1));
        std::vector<double>& out = dnn::result_buffer();
        dnn::forward(v, xr, wr, out);
        const auto& d = owned->y.dims;
        std::size_t i = 0;
        for (int n = 0; n < d[0]; ++n)
            for (int k = 0; k < d[1]; ++k)
                for (int p2 = 0; p2 < d[2]; ++p2)
                    for (int q = 0; q < d[3]; ++q, ++i) {
                        const double zv = read_z ? a2 * double(zf[dnn::at(owned->y.strides, n, k, p2, q)]) : 0.0;
                        out[i] = activate(activation, a1 * out[i] + zv + double(bf[k]));
                    }
        dnn::scribble(ws, need);
        dnn::blend(d, owned->y.strides, out, 1.0, 0.0, yf);
        return std::string();
    }, cost);
}

cudnnStatus_t cudnnConvolutionBackwardData(cudnnHandle_t h, const void* alpha, cudnnFilterDescriptor_t wd,
                                           const void* w, cudnnTensorDescriptor_t dyd, const void* dy,
                                           cudnnConvolutionDescriptor_t conv, cudnnConvolutionBwdDataAlgo_t algo,
                                           void* ws, std::size_t ws_size, const void* beta,
                                           cudnnTensorDescriptor_t dxd, void* dx) {
    NST_EMULATED_API;
    const char* call = "cudnnConvolutionBackwardData";
    if (!dnn::valid(h)) return dnn::refuse(CUDNN_STATUS_BAD_PARAM, std::string(call) + ": not a cuDNN handle");
    dnn::ConvProblem p;
    std::size_t need = 0;
    NST_DNN_TRY(dnn::check_problem(call, dxd, wd, conv, dyd, &p));
    NST_DNN_TRY(dnn::host_scalar(call, "alpha", alpha));
    NST_DNN_TRY(dnn::host_scalar(call, "beta", beta));
    NST_DNN_TRY(dnn::check_algorithm(call, Direction::BackwardData, algo, p, ws, ws_size, &need));
    NST_DNN_TRY(dnn::device_operand(call, "w", w, dnn::span(*wd)));
    NST_DNN_TRY(dnn::device_operand(call, "dy", dy, dnn::span(*dyd)));
    NST_DNN_TRY(dnn::device_operand(call, "dx", dx, dnn::span(*dxd)));
    auto owned = std::make_shared<const dnn::OwnedProblem>(p);
    const double a = scalar(alpha), b = scalar(beta);
    const dnn::Rounding r = dnn::rounding(conv->math);
    const auto *wf = static_cast<const float*>(w), *dyf = static_cast<const float*>(dy);
    auto* dxf = static_cast<float*>(dx);
    return dnn::queue(h, call, {w, dy, dx, ws}, [=] {
        const float* wr = dnn::rounded(wf, dnn::span(owned->w), r, dnn::input_buffer(0));
        const float* dyr = dnn::rounded(dyf, dnn::span(owned->y), r, dnn::input_buffer(1));
        std::vector<double>& out = dnn::result_buffer();
        dnn::backward_data(owned->view(), wr, dyr, out);
        dnn::scribble(ws, need);
        dnn::blend(owned->x.dims, owned->x.strides, out, a, b, dxf);
        return std::string();
    }, dnn::cost_us(Direction::BackwardData, algo, p));
}

cudnnStatus_t cudnnConvolutionBackwardFilter(cudnnHandle_t h, const void* alpha, cudnnTensorDescriptor_t xd,
                                             const void* x, cudnnTensorDescriptor_t dyd, const void* dy,
                                             cudnnConvolutionDescriptor_t conv, cudnnConvolutionBwdFilterAlgo_t algo,
                                             void* ws, std::size_t ws_size, const void* beta,
                                             cudnnFilterDescriptor_t dwd, void* dw) {
    NST_EMULATED_API;
    const char* call = "cudnnConvolutionBackwardFilter";
    if (!dnn::valid(h)) return dnn::refuse(CUDNN_STATUS_BAD_PARAM, std::string(call) + ": not a cuDNN handle");
    dnn::ConvProblem p;
    std::size_t need = 0;
    NST_DNN_TRY(dnn::check_problem(call, xd, dwd, conv, dyd, &p));
    NST_DNN_TRY(dnn::host_scalar(call, "alpha", alpha));
    NST_DNN_TRY(dnn::host_scalar(call, "beta", beta));
    NST_DNN_TRY(dnn::check_algorithm(call, Direction::BackwardFilter, algo, p, ws, ws_size, &need));
    NST_DNN_TRY(dnn::device_operand(call, "x", x, dnn::span(*xd)));
    NST_DNN_TRY(dnn::device_operand(call, "dy", dy, dnn::span(*dyd)));
    NST_DNN_TRY(dnn::device_operand(call, "dw", dw, dnn::span(*dwd)));
    auto owned = std::make_shared<const dnn::OwnedProblem>(p);
    const double a = scalar(alpha), b = scalar(beta);
    const dnn::Rounding r = dnn::rounding(conv->math);
    const auto *xf = static_cast<const float*>(x), *dyf = static_cast<const float*>(dy);
    auto* dwf = static_cast<float*>(dw);
    return dnn::queue(h, call, {x, dy, dw, ws}, [=] {
        const float* xr = dnn::rounded(xf, dnn::span(owned->x), r, dnn::input_buffer(0));
        const float* dyr = dnn::rounded(dyf, dnn::span(owned->y), r, dnn::input_buffer(1));
        std::vector<double>& out = dnn::result_buffer();
        dnn::backward_filter(owned->view(), xr, dyr, out);
        dnn::scribble(ws, need);
        dnn::blend(owned->w.dims, owned->w.strides, out, a, b, dwf);
        return std::string();
    }, dnn::cost_us(Direction::BackwardFilter, algo, p));
}
