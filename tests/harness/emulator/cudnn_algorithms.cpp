// The emulated cuDNN's algorithm queries: the maximum counts, the _v7 heuristics, the timed Find*Ex and the
// workspace sizes. Rankings are deterministic, and NST_EMULATED_SEED varies them so that every branch of a
// caller's choice runs: its bits put at the top a non-deterministic result (bit 0), one wanting more
// workspace than the device has (bit 1), a tensor-op one (bit 2), one converting to FP16 (bit 3); bits 10
// and up reorder the rest. Unsupported algorithms are listed last with CUDNN_STATUS_NOT_SUPPORTED.
#include <algorithm>
#include <memory>

#include "cudnn_conv.hpp"

namespace em = nst::emulated;
namespace dnn = nst::emulated::dnn;
using dnn::Direction;

namespace {

struct Entry {
    int algo;
    cudnnStatus_t status;
    float time_ms;
    std::size_t memory;
    cudnnDeterminism_t determinism;
    cudnnMathType_t math;
};

std::uint64_t mix(std::uint64_t v) {
    v ^= v >> 33;
    v *= 0xff51afd7ed558ccdull;
    v ^= v >> 33;
    return v;
}

// The supported algorithms by cost (timed) or by cost reordered by the seed (heuristics), then the quirks
// on top, then the unsupported ones.
std::vector<Entry> ranking(Direction d, const dnn::ConvProblem& p, bool timed, std::size_t workspace_limit) {
    const cudnnMathType_t math = p.conv->math == CUDNN_FMA_MATH ? CUDNN_FMA_MATH : CUDNN_DEFAULT_MATH;
    std::vector<Entry> ok, refused;
    for (int a = 0; a < dnn::algo_count(d); ++a) {
        const bool supported = dnn::algo_support(d, a, p).empty();
        const std::size_t memory = supported ? dnn::workspace_bytes(d, a, p) : 0;
        Entry e{a, CUDNN_STATUS_SUCCESS, static_cast<float>(dnn::cost_us(d, a, p) / 1000.0), memory,
                dnn::deterministic(d, a) ? CUDNN_DETERMINISTIC : CUDNN_NON_DETERMINISTIC, math};
        if (!supported || memory > workspace_limit) {
            e.status = CUDNN_STATUS_NOT_SUPPORTED;
            e.time_ms = -1.0f;
            refused.push_back(e);
        } else {
            ok.push_back(e);
        }
    }
    const std::uint64_t order = em::seed() >> 10;
    std::stable_sort(ok.begin(), ok.end(), [&](const Entry& a, const Entry& b) {
        if (timed || order == 0) return a.time_ms < b.time_ms;
        return mix(order * 31 + a.algo) < mix(order * 31 + b.algo);
    });
    std::vector<Entry> top;
    const std::uint64_t s = em::seed();
    for (const Entry& e : ok)
        if ((s & 1u) && e.determinism == CUDNN_NON_DETERMINISTIC && top.empty()) top.push_back(e);
    if ((s & 2u) && !ok.empty()) top.push_back(Entry{ok.back().algo, CUDNN_STATUS_SUCCESS, 0.001f,
                                                     em::capacity_bytes(), CUDNN_DETERMINISTIC, math});
    if ((s & 4u) && !ok.empty()) {
        top.push_back(ok.front());
        top.back().math = CUDNN_TENSOR_OP_MATH;
    }
    if ((s & 8u) && !ok.empty()) {
        top.push_back(ok.front());
        top.back().math = CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION;
    }
    top.insert(top.end(), ok.begin(), ok.end());
    top.insert(top.end(), refused.begin(), refused.end());
    return top;
}

template <class Perf, class Algo>
cudnnStatus_t answer(const std::vector<Entry>& ranked, int requested, int* returned, Perf* results) {
    if (returned == nullptr || results == nullptr || requested < 1)
        return dnn::refuse(CUDNN_STATUS_BAD_PARAM, "an algorithm query without room for one result");
    const int n = std::min<int>(requested, static_cast<int>(ranked.size()));
    for (int i = 0; i < n; ++i) {
        const Entry& e = ranked[static_cast<std::size_t>(i)];
        results[i] = Perf{static_cast<Algo>(e.algo), e.status, e.time_ms, e.memory, e.determinism, e.math, {0, 0, 0}};
    }
    *returned = n;
    return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t max_count(cudnnHandle_t h, int* count, Direction d) {
    NST_EMULATED_API;
    if (!dnn::valid(h) || count == nullptr) return dnn::refuse(CUDNN_STATUS_BAD_PARAM, "AlgorithmMaxCount: bad arguments");
    *count = dnn::algo_count(d) + 4;  // room for the seed's quirks
    return CUDNN_STATUS_SUCCESS;
}

// Find*Ex: synchronous; the handle's stream first, then the computation once into the output buffer (the
// real call overwrites it with each candidate's result).
cudnnStatus_t find(cudnnHandle_t h, const char* call, Direction d, const dnn::ConvProblem& p,
                   std::vector<const void*> pointers, void* workspace, std::size_t workspace_size,
                   std::function<void(const dnn::ConvProblem&)> compute) {
    std::string why;
    if (workspace_size > 0 && !em::device_range(workspace, workspace_size, &why))
        return dnn::refuse(CUDNN_STATUS_BAD_PARAM, std::string(call) + ": the workspace: " + why);
    for (const void* ptr : pointers)
        if (em::where(ptr) != em::Where::Device)
            return dnn::refuse(CUDNN_STATUS_BAD_PARAM, std::string(call) + ": a tensor is not device memory");
    if (em::drain(h->stream) != cudaSuccess) return CUDNN_STATUS_EXECUTION_FAILED;
    auto owned = std::make_shared<const dnn::OwnedProblem>(p);
    const double cost = dnn::cost_us(d, 0, p) * dnn::algo_count(d);
    if (em::run_now(call, [&] {
            dnn::scribble(workspace, workspace_size);
            compute(owned->view());
            return std::string();
        }, cost) != cudaSuccess)
        return CUDNN_STATUS_EXECUTION_FAILED;
    return CUDNN_STATUS_SUCCESS;
}

}  // namespace

cudnnStatus_t cudnnGetConvolutionForwardAlgorithmMaxCount(cudnnHandle_t h, int* count) {
    return max_count(h, count, Direction::Forward);
}
cudnnStatus_t cudnnGetConvolutionBackwardDataAlgorithmMaxCount(cudnnHandle_t h, int* count) {
    return max_count(h, count, Direction::BackwardData);
}
cudnnStatus_t cudnnGetConvolutionBackwardFilterAlgorithmMaxCount(cudnnHandle_t h, int* count) {
    return max_count(h, count, Direction::BackwardFilter);
}

cudnnStatus_t cudnnGetConvolutionForwardAlgorithm_v7(cudnnHandle_t h, cudnnTensorDescriptor_t x,
                                                     cudnnFilterDescriptor_t w, cudnnConvolutionDescriptor_t conv,
                                                     cudnnTensorDescriptor_t y, int requested, int* returned,
                                                     cudnnConvolutionFwdAlgoPerf_t* results) {
    NST_EMULATED_API;
    dnn::ConvProblem p;
    if (!dnn::valid(h)) return CUDNN_STATUS_BAD_PARAM;
    NST_DNN_TRY(dnn::check_problem("cudnnGetConvolutionForwardAlgorithm_v7", x, w, conv, y, &p));
    return answer<cudnnConvolutionFwdAlgoPerf_t, cudnnConvolutionFwdAlgo_t>(
        ranking(Direction::Forward, p, false, SIZE_MAX), requested, returned, results);
}

cudnnStatus_t cudnnGetConvolutionBackwardDataAlgorithm_v7(cudnnHandle_t h, cudnnFilterDescriptor_t w,
                                                          cudnnTensorDescriptor_t dy, cudnnConvolutionDescriptor_t conv,
                                                          cudnnTensorDescriptor_t dx, int requested, int* returned,
                                                          cudnnConvolutionBwdDataAlgoPerf_t* results) {
    NST_EMULATED_API;
    dnn::ConvProblem p;
    if (!dnn::valid(h)) return CUDNN_STATUS_BAD_PARAM;
    NST_DNN_TRY(dnn::check_problem("cudnnGetConvolutionBackwardDataAlgorithm_v7", dx, w, conv, dy, &p));
    return answer<cudnnConvolutionBwdDataAlgoPerf_t, cudnnConvolutionBwdDataAlgo_t>(
        ranking(Direction::BackwardData, p, false, SIZE_MAX), requested, returned, results);
}

cudnnStatus_t cudnnGetConvolutionBackwardFilterAlgorithm_v7(cudnnHandle_t h, cudnnTensorDescriptor_t x,
                                                            cudnnTensorDescriptor_t dy,
                                                            cudnnConvolutionDescriptor_t conv,
                                                            cudnnFilterDescriptor_t dw, int requested, int* returned,
                                                            cudnnConvolutionBwdFilterAlgoPerf_t* results) {
    NST_EMULATED_API;
    dnn::ConvProblem p;
    if (!dnn::valid(h)) return CUDNN_STATUS_BAD_PARAM;
    NST_DNN_TRY(dnn::check_problem("cudnnGetConvolutionBackwardFilterAlgorithm_v7", x, dw, conv, dy, &p));
    return answer<cudnnConvolutionBwdFilterAlgoPerf_t, cudnnConvolutionBwdFilterAlgo_t>(
        ranking(Direction::BackwardFilter, p, false, SIZE_MAX), requested, returned, results);
}

cudnnStatus_t cudnnFindConvolutionForwardAlgorithmEx(cudnnHandle_t h, cudnnTensorDescriptor_t xd, const void* x,
                                                     cudnnFilterDescriptor_t wd, const void* w,
                                                     cudnnConvolutionDescriptor_t conv, cudnnTensorDescriptor_t yd,
                                                     void* y, int requested, int* returned,
                                                     cudnnConvolutionFwdAlgoPerf_t* results, void* ws,
                                                     std::size_t ws_size) {
    NST_EMULATED_API;
    const char* call = "cudnnFindConvolutionForwardAlgorithmEx";
    dnn::ConvProblem p;
    if (!dnn::valid(h)) return CUDNN_STATUS_BAD_PARAM;
    NST_DNN_TRY(dnn::check_problem(call, xd, wd, conv, yd, &p));
    NST_DNN_TRY(dnn::device_operand(call, "y", y, dnn::span(*yd)));
    const auto *xf = static_cast<const float*>(x), *wf = static_cast<const float*>(w);
    auto* yf = static_cast<float*>(y);
    NST_DNN_TRY(find(h, call, Direction::Forward, p, {x, w, y}, ws, ws_size, [=](const dnn::ConvProblem& v) {
        dnn::forward(v, xf, wf, dnn::result_buffer());
        dnn::blend(v.y->dims, v.y->strides, dnn::result_buffer(), 1.0, 0.0, yf);
    }));
    return answer<cudnnConvolutionFwdAlgoPerf_t, cudnnConvolutionFwdAlgo_t>(ranking(Direction::Forward, p, true, ws_size),
                                                                           requested, returned, results);
}

cudnnStatus_t cudnnFindConvolutionBackwardDataAlgorithmEx(cudnnHandle_t h, cudnnFilterDescriptor_t wd, const void* w,
                                                          cudnnTensorDescriptor_t dyd, const void* dy,
                                                          cudnnConvolutionDescriptor_t conv,
                                                          cudnnTensorDescriptor_t dxd, void* dx, int requested,
                                                          int* returned, cudnnConvolutionBwdDataAlgoPerf_t* results,
                                                          void* ws, std::size_t ws_size) {
    NST_EMULATED_API;
    const char* call = "cudnnFindConvolutionBackwardDataAlgorithmEx";
    dnn::ConvProblem p;
    if (!dnn::valid(h)) return CUDNN_STATUS_BAD_PARAM;
    NST_DNN_TRY(dnn::check_problem(call, dxd, wd, conv, dyd, &p));
    NST_DNN_TRY(dnn::device_operand(call, "dx", dx, dnn::span(*dxd)));
    const auto *wf = static_cast<const float*>(w), *dyf = static_cast<const float*>(dy);
    auto* dxf = static_cast<float*>(dx);
    NST_DNN_TRY(find(h, call, Direction::BackwardData, p, {w, dy, dx}, ws, ws_size, [=](const dnn::ConvProblem& v) {
        dnn::backward_data(v, wf, dyf, dnn::result_buffer());
        dnn::blend(v.x->dims, v.x->strides, dnn::result_buffer(), 1.0, 0.0, dxf);
    }));
    return answer<cudnnConvolutionBwdDataAlgoPerf_t, cudnnConvolutionBwdDataAlgo_t>(
        ranking(Direction::BackwardData, p, true, ws_size), requested, returned, results);
}

cudnnStatus_t cudnnFindConvolutionBackwardFilterAlgorithmEx(cudnnHandle_t h, cudnnTensorDescriptor_t xd,
                                                            const void* x, cudnnTensorDescriptor_t dyd,
                                                            const void* dy, cudnnConvolutionDescriptor_t conv,
                                                            cudnnFilterDescriptor_t dwd, void* dw, int requested,
                                                            int* returned,
                                                            cudnnConvolutionBwdFilterAlgoPerf_t* results, void* ws,
                                                            std::size_t ws_size) {
    NST_EMULATED_API;
    const char* call = "cudnnFindConvolutionBackwardFilterAlgorithmEx";
    dnn::ConvProblem p;
    if (!dnn::valid(h)) return CUDNN_STATUS_BAD_PARAM;
    NST_DNN_TRY(dnn::check_problem(call, xd, dwd, conv, dyd, &p));
    NST_DNN_TRY(dnn::device_operand(call, "dw", dw, dnn::span(*dwd)));
    const auto *xf = static_cast<const float*>(x), *dyf = static_cast<const float*>(dy);
    auto* dwf = static_cast<float*>(dw);
    NST_DNN_TRY(find(h, call, Direction::BackwardFilter, p, {x, dy, dw}, ws, ws_size, [=](const dnn::ConvProblem& v) {
        dnn::backward_filter(v, xf, dyf, dnn::result_buffer());
        dnn::blend(v.w->dims, v.w->strides, dnn::result_buffer(), 1.0, 0.0, dwf);
    }));
    return answer<cudnnConvolutionBwdFilterAlgoPerf_t, cudnnConvolutionBwdFilterAlgo_t>(
        ranking(Direction::BackwardFilter, p, true, ws_size), requested, returned, results);
}

namespace {

cudnnStatus_t workspace_query(cudnnHandle_t h, const char* call, Direction d, int algo, cudnnTensorDescriptor_t x,
                              cudnnFilterDescriptor_t w, cudnnConvolutionDescriptor_t conv, cudnnTensorDescriptor_t y,
                              std::size_t* bytes) {
    NST_EMULATED_API;
    dnn::ConvProblem p;
    if (!dnn::valid(h) || bytes == nullptr) return dnn::refuse(CUDNN_STATUS_BAD_PARAM, std::string(call) + ": bad arguments");
    NST_DNN_TRY(dnn::check_problem(call, x, w, conv, y, &p));
    if (algo < 0 || algo >= dnn::algo_count(d)) return dnn::refuse(CUDNN_STATUS_BAD_PARAM, std::string(call) + ": no such algorithm");
    if (const std::string why = dnn::algo_support(d, algo, p); !why.empty())
        return dnn::refuse(CUDNN_STATUS_NOT_SUPPORTED_SHAPE, std::string(call) + ": " + why);
    *bytes = dnn::workspace_bytes(d, algo, p);
    return CUDNN_STATUS_SUCCESS;
}

}  // namespace

cudnnStatus_t cudnnGetConvolutionForwardWorkspaceSize(cudnnHandle_t h, cudnnTensorDescriptor_t x,
                                                      cudnnFilterDescriptor_t w, cudnnConvolutionDescriptor_t conv,
                                                      cudnnTensorDescriptor_t y, cudnnConvolutionFwdAlgo_t algo,
                                                      std::size_t* bytes) {
    return workspace_query(h, "cudnnGetConvolutionForwardWorkspaceSize", Direction::Forward, algo, x, w, conv, y, bytes);
}

cudnnStatus_t cudnnGetConvolutionBackwardDataWorkspaceSize(cudnnHandle_t h, cudnnFilterDescriptor_t w,
                                                           cudnnTensorDescriptor_t dy,
                                                           cudnnConvolutionDescriptor_t conv,
                                                           cudnnTensorDescriptor_t dx,
                                                           cudnnConvolutionBwdDataAlgo_t algo, std::size_t* bytes) {
    return workspace_query(h, "cudnnGetConvolutionBackwardDataWorkspaceSize", Direction::BackwardData, algo, dx, w, conv,
                           dy, bytes);
}

cudnnStatus_t cudnnGetConvolutionBackwardFilterWorkspaceSize(cudnnHandle_t h, cudnnTensorDescriptor_t x,
                                                             cudnnTensorDescriptor_t dy,
                                                             cudnnConvolutionDescriptor_t conv,
                                                             cudnnFilterDescriptor_t dw,
                                                             cudnnConvolutionBwdFilterAlgo_t algo, std::size_t* bytes) {
    return workspace_query(h, "cudnnGetConvolutionBackwardFilterWorkspaceSize", Direction::BackwardFilter, algo, x, dw,
                           conv, dy, bytes);
}
