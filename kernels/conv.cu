// The CUDA backend's 3x3 convolution through cuDNN: algorithms found once per shape with cudnnFind*Ex and
// cached, one shared workspace, forward with bias and ReLU fused (cudnnConvolutionBiasActivationForward)
// where that works, agrees with the separate calls and is not slower, backward-data only. No kernel of
// libnst's own (the search's noise comes from image.cuh).
#include <algorithm>
#include <vector>

#include "cuda/cuda_backend.hpp"
#include "image.cuh"
#include "nst/error.hpp"

namespace nst::cuda {

namespace {

// Find may use at most this much workspace (and at most half the free memory).
constexpr std::size_t kFindWorkspaceLimit = std::size_t(1) << 30;

const char* forward_algo_name(cudnnConvolutionFwdAlgo_t a) {
    switch (a) {
        case CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_GEMM: return "IMPLICIT_GEMM";
        case CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_PRECOMP_GEMM: return "IMPLICIT_PRECOMP_GEMM";
        case CUDNN_CONVOLUTION_FWD_ALGO_GEMM: return "GEMM";
        case CUDNN_CONVOLUTION_FWD_ALGO_DIRECT: return "DIRECT";
        case CUDNN_CONVOLUTION_FWD_ALGO_FFT: return "FFT";
        case CUDNN_CONVOLUTION_FWD_ALGO_FFT_TILING: return "FFT_TILING";
        case CUDNN_CONVOLUTION_FWD_ALGO_WINOGRAD: return "WINOGRAD";
        case CUDNN_CONVOLUTION_FWD_ALGO_WINOGRAD_NONFUSED: return "WINOGRAD_NONFUSED";
        default: return "?";
    }
}

const char* backward_algo_name(cudnnConvolutionBwdDataAlgo_t a) {
    switch (a) {
        case CUDNN_CONVOLUTION_BWD_DATA_ALGO_0: return "ALGO_0";
        case CUDNN_CONVOLUTION_BWD_DATA_ALGO_1: return "ALGO_1";
        case CUDNN_CONVOLUTION_BWD_DATA_ALGO_FFT: return "FFT";
        case CUDNN_CONVOLUTION_BWD_DATA_ALGO_FFT_TILING: return "FFT_TILING";
        case CUDNN_CONVOLUTION_BWD_DATA_ALGO_WINOGRAD: return "WINOGRAD";
        case CUDNN_CONVOLUTION_BWD_DATA_ALGO_WINOGRAD_NONFUSED: return "WINOGRAD_NONFUSED";
        default: return "?";
    }
}

const char* math_name(cudnnMathType_t m) {
    switch (m) {
        case CUDNN_DEFAULT_MATH: return "default math";
        case CUDNN_TENSOR_OP_MATH: return "tensor-op math";
        case CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION: return "tensor-op math with conversion";
        case CUDNN_FMA_MATH: return "FMA math";
        default: return "? math";
    }
}

std::string kib(std::size_t bytes) {
    return std::to_string((bytes + 1023) / 1024) + " KiB";
}

std::string shape_text(const ConvShape& s) {
    return std::to_string(s.batch) + "x" + std::to_string(s.in_channels) + "x" + std::to_string(s.height) + "x" +
           std::to_string(s.width) + " -> " + std::to_string(s.out_channels) + " channels";
}

// The fastest usable search result: strict FP32 refuses tensor-op results (TF32); both refuse
// non-deterministic ones and oversized workspaces. `what` ("forward", "backward-data") names it in the error.
template <class Perf>
const Perf& pick(const std::vector<Perf>& results, int count, bool strict, std::size_t limit, const char* what,
                 const ConvShape& s) {
    for (int i = 0; i < count; ++i) {  // cuDNN sorts the results by time
        const Perf& r = results[static_cast<std::size_t>(i)];
        if (r.status != CUDNN_STATUS_SUCCESS || r.determinism != CUDNN_DETERMINISTIC || r.memory > limit) continue;
        if (strict && (r.mathType == CUDNN_TENSOR_OP_MATH || r.mathType == CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION))
            continue;
        return r;
    }
    throw Error("cuDNN offers no deterministic" + std::string(strict ? " FP32 " : " ") + what +
                " algorithm for the convolution " + shape_text(s));
}

}  // namespace

void CudaBackend::choose_algorithms(const ConvShape& s, ConvPlan& p) {
    cudnnHandle_t h = dnn_.get();
    // Strict FP32: FMA math on the descriptors for the search and for every run (it forbids TF32 whatever
    // algorithm runs). TF32 allowed: default math for the search, then the chosen result's math type.
    const cudnnMathType_t search_math = strict() ? CUDNN_FMA_MATH : CUDNN_DEFAULT_MATH;
    CHECK_CUDNN(cudnnSetConvolutionMathType(p.forward_conv.get(), search_math));
    CHECK_CUDNN(cudnnSetConvolutionMathType(p.backward_conv.get(), search_math));

    // Scratch tensors of this shape for the search (the Ex variants run on them) and for choose_fusion's
    // check: noise in [-20, 20], so that a wrong fused result cannot hide behind zeros.
    const std::size_t xs = std::size_t(s.batch) * s.in_channels * s.height * s.width;
    const std::size_t ys = std::size_t(s.batch) * s.out_channels * s.height * s.width;
    DeviceBuffer<float> x(xs), y(ys), w(std::size_t(s.out_channels) * s.in_channels * 9), b(s.out_channels);
    std::uint64_t seed = 1;
    for (DeviceBuffer<float>* t : {&x, &w, &b}) {
        CHECK_CUDA(cudaMemsetAsync(t->data(), 0, t->bytes(), stream_.get()));
        kernels::noise_init(t->data(), t->size(), seed++, 1.0f, t->data(), stream_.get());
    }
    std::size_t free = 0, total = 0;
    CHECK_CUDA(cudaMemGetInfo(&free, &total));
    const std::size_t limit = std::min(kFindWorkspaceLimit, free / 2);
    {
        DeviceBuffer<unsigned char> search(limit);

        int max_count = 0, count = 0;
        CHECK_CUDNN(cudnnGetConvolutionForwardAlgorithmMaxCount(h, &max_count));
        std::vector<cudnnConvolutionFwdAlgoPerf_t> fwd(static_cast<std::size_t>(max_count));
        CHECK_CUDNN(cudnnFindConvolutionForwardAlgorithmEx(h, p.x.get(), x.data(), p.w.get(), w.data(),
                                                           p.forward_conv.get(), p.y.get(), y.data(), max_count, &count,
                                                           fwd.data(), search.data(), limit));
        const auto& f = pick(fwd, count, strict(), limit, "forward", s);
        p.forward_algo = f.algo;
        p.forward_workspace = f.memory;
        p.forward_math = strict() ? search_math : f.mathType;
        CHECK_CUDNN(cudnnSetConvolutionMathType(p.forward_conv.get(), p.forward_math));

        CHECK_CUDNN(cudnnGetConvolutionBackwardDataAlgorithmMaxCount(h, &max_count));
        std::vector<cudnnConvolutionBwdDataAlgoPerf_t> bwd(static_cast<std::size_t>(max_count));
        CHECK_CUDNN(cudnnFindConvolutionBackwardDataAlgorithmEx(h, p.w.get(), w.data(), p.y.get(), y.data(),
                                                                p.backward_conv.get(), p.x.get(), x.data(), max_count,
                                                                &count, bwd.data(), search.data(), limit));
        const auto& d = pick(bwd, count, strict(), limit, "backward-data", s);
        p.backward_algo = d.algo;
        p.backward_workspace = d.memory;
        p.backward_math = strict() ? search_math : d.mathType;
        CHECK_CUDNN(cudnnSetConvolutionMathType(p.backward_conv.get(), p.backward_math));
    }  // the search workspace is freed before the shared one grows
    ensure(conv_workspace_, std::max(p.forward_workspace, p.backward_workspace));
    choose_fusion(p, x.data(), w.data(), b.data(), y.data(), ys);
}

// Fused conv + bias + ReLU if cuDNN runs it for this algorithm, its output agrees with the three separate
// calls, and it is not slower. The agreement check runs once per shape on noise, with y poisoned (NaN) before
// the fused call: fused calls have been reported to return SUCCESS with wrong output for some algorithms, and
// the call is made with z = y and alpha2 = 0, which must not read z. One project found the fused call much
// slower unless the math type is a tensor-op one: hence the timing.
void CudaBackend::choose_fusion(ConvPlan& p, const float* x, const float* w, const float* b, float* y,
                                std::size_t count) {
    const float one = 1.0f, zero = 0.0f;
    cudnnHandle_t h = dnn_.get();
    auto fused = [&] {
        return cudnnConvolutionBiasActivationForward(h, &one, p.x.get(), x, p.w.get(), w, p.forward_conv.get(),
                                                     p.forward_algo, conv_workspace_.data(), p.forward_workspace, &zero,
                                                     p.y.get(), y, p.bias.get(), b, relu_.get(), p.y.get(), y);
    };
    p.fused = false;
    DeviceBuffer<float> separate(count), sums(2);
    conv_forward_unfused(p, x, w, b, separate.data(), true);
    CHECK_CUDA(cudaMemsetAsync(y, 0xFF, count * sizeof(float), stream_.get()));  // all-ones bits: a NaN
    const cudnnStatus_t status = fused();
    if (status != CUDNN_STATUS_SUCCESS) {
        // NOT_SUPPORTED (any sub-code) means: use the separate calls. Anything else is an error.
        if (CUDNN_STATUS_CATEGORY(status) != CUDNN_STATUS_NOT_SUPPORTED) CHECK_CUDNN(status);
        p.unfused_reason = "not supported";
        return;
    }
    // ‖fused − separate‖² and ‖separate‖²; a NaN anywhere fails the comparison below.
    squared_difference_sum(y, separate.data(), count, sums.data());
    dot(separate.data(), separate.data(), count, sums.data() + 1);
    float host[2] = {0.0f, 0.0f};
    download(sums.data(), host, 2);
    // Same algorithm and math type both ways: only the order of some additions may differ (relative L2 1e-4 in
    // strict FP32; 3e-3 with TF32, in case the fused kernel rounds its inputs at another point).
    const double tolerance = strict() ? 1e-8 : 1e-5;  // squared
    if (!(double(host[0]) <= tolerance * double(host[1]))) {
        p.unfused_reason = "disagreed with the separate calls";
        return;
    }
    // A warm-up, then three runs timed with CUDA events (time_ms).
    auto three_runs_ms = [&](const std::function<void()>& run) {
        run();
        return time_ms([&] {
            for (int i = 0; i < 3; ++i) run();
        });
    };
    const double fused_ms = three_runs_ms([&] { CHECK_CUDNN(fused()); });
    const double separate_ms = three_runs_ms([&] { conv_forward_unfused(p, x, w, b, y, true); });
    p.fused = fused_ms <= separate_ms;
    p.unfused_reason = p.fused ? "" : "slower";
}

void CudaBackend::conv_forward_unfused(const ConvPlan& p, const float* x, const float* w, const float* b, float* y,
                                       bool relu) {
    const float one = 1.0f, zero = 0.0f;
    cudnnHandle_t h = dnn_.get();
    CHECK_CUDNN(cudnnConvolutionForward(h, &one, p.x.get(), x, p.w.get(), w, p.forward_conv.get(), p.forward_algo,
                                        conv_workspace_.data(), p.forward_workspace, &zero, p.y.get(), y));
    CHECK_CUDNN(cudnnAddTensor(h, &one, p.bias.get(), b, &one, p.y.get(), y));
    if (relu) CHECK_CUDNN(cudnnActivationForward(h, relu_.get(), &one, p.y.get(), y, &zero, p.y.get(), y));
}

const ConvPlan& CudaBackend::conv_plan(const ConvShape& s) {
    if (s.batch < 1 || s.in_channels < 1 || s.out_channels < 1 || s.height < 1 || s.width < 1)
        throw Error("conv: invalid shape " + shape_text(s));
    const ConvKey key{s.batch, s.in_channels, s.out_channels, s.height, s.width};
    auto it = conv_plans_.find(key);
    if (it != conv_plans_.end()) return *it->second;
    auto p = std::make_unique<ConvPlan>();
    p->x = make_tensor_descriptor(s.batch, s.in_channels, s.height, s.width);
    p->y = make_tensor_descriptor(s.batch, s.out_channels, s.height, s.width);
    p->bias = make_tensor_descriptor(1, s.out_channels, 1, 1);
    p->w = make_filter_descriptor(s.out_channels, s.in_channels, 3, 3);
    p->forward_conv = make_convolution_descriptor(1, 1);
    p->backward_conv = make_convolution_descriptor(1, 1);
    choose_algorithms(s, *p);
    return *conv_plans_.emplace(key, std::move(p)).first->second;
}

void CudaBackend::prepare_conv(const ConvShape& shape) {
    conv_plan(shape);
}

std::string CudaBackend::describe_conv(const ConvShape& shape) {
    const ConvPlan& p = conv_plan(shape);
    return std::string("forward ") + forward_algo_name(p.forward_algo) + " (" + math_name(p.forward_math) + ", " +
           kib(p.forward_workspace) + "), bias+ReLU " +
           (p.fused ? std::string("fused") : std::string("separate: fused ") + p.unfused_reason) +
           "; backward-data " + backward_algo_name(p.backward_algo) + " (" + math_name(p.backward_math) + ", " +
           kib(p.backward_workspace) + ")";
}

void CudaBackend::conv_forward(const ConvShape& s, const float* x, const float* w, const float* b, float* y,
                               bool relu) {
    const ConvPlan& p = conv_plan(s);
    if (!(relu && p.fused)) {
        conv_forward_unfused(p, x, w, b, y, relu);
        return;
    }
    const float one = 1.0f, zero = 0.0f;
    // z = y with alpha2 = 0, as frameworks call it: y = relu(conv(x) + bias).
    CHECK_CUDNN(cudnnConvolutionBiasActivationForward(
        dnn_.get(), &one, p.x.get(), x, p.w.get(), w, p.forward_conv.get(), p.forward_algo, conv_workspace_.data(),
        p.forward_workspace, &zero, p.y.get(), y, p.bias.get(), b, relu_.get(), p.y.get(), y));
}

void CudaBackend::conv_backward_data(const ConvShape& s, const float* w, const float* dy, float* dx) {
    const ConvPlan& p = conv_plan(s);
    const float one = 1.0f, zero = 0.0f;
    CHECK_CUDNN(cudnnConvolutionBackwardData(dnn_.get(), &one, p.w.get(), w, p.y.get(), dy, p.backward_conv.get(),
                                             p.backward_algo, conv_workspace_.data(), p.backward_workspace, &zero,
                                             p.x.get(), dx));
}

}  // namespace nst::cuda
