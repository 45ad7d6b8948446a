// The CUDA backend's convolutions through cuDNN (any kernel size, stride and zero padding): algorithms
// chosen once per shape for the three directions (forward, backward-data, backward-filter) by cuDNN's
// heuristics or, with autotune, timed by cudnnFind*Ex, and cached; one shared workspace; forward with bias and
// ReLU fused (cudnnConvolutionBiasActivationForward) where that works and agrees with the separate calls.
// The bias gradient is libnst's own per-channel reduction (conv.cuh); the search's noise comes from
// image.cuh.
#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>
#include <vector>

#include "conv.cuh"
#include "cuda/cuda_backend.hpp"
#include "image.cuh"
#include "vector.cuh"
#include "nst/error.hpp"
#include "core/shape_checks.hpp"

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

const char* filter_algo_name(cudnnConvolutionBwdFilterAlgo_t a) {
    switch (a) {
        case CUDNN_CONVOLUTION_BWD_FILTER_ALGO_0: return "ALGO_0";
        case CUDNN_CONVOLUTION_BWD_FILTER_ALGO_1: return "ALGO_1";
        case CUDNN_CONVOLUTION_BWD_FILTER_ALGO_FFT: return "FFT";
        case CUDNN_CONVOLUTION_BWD_FILTER_ALGO_3: return "ALGO_3";
        case CUDNN_CONVOLUTION_BWD_FILTER_ALGO_WINOGRAD_NONFUSED: return "WINOGRAD_NONFUSED";
        case CUDNN_CONVOLUTION_BWD_FILTER_ALGO_FFT_TILING: return "FFT_TILING";
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
           std::to_string(s.width) + " -> " + std::to_string(s.out_channels) + " channels, kernel " +
           std::to_string(s.kernel) + " stride " + std::to_string(s.stride) + " pad " + std::to_string(s.pad);
}

// The first usable result (cuDNN sorts search results by time and heuristic results by expected speed): never
// a non-deterministic one, one that wants more workspace than `limit`, or one that converts inputs to FP16
// (CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION: overflow above 65504); in strict FP32 no tensor-op result (TF32)
// either. `what` ("forward", "backward-data", "backward-filter") names it in the error.
template <class Perf>
const Perf& pick(const std::vector<Perf>& results, int count, bool strict, std::size_t limit, const char* what,
                 const ConvShape& s) {
    for (int i = 0; i < count; ++i) {
        const Perf& r = results[static_cast<std::size_t>(i)];
        if (r.status != CUDNN_STATUS_SUCCESS || r.determinism != CUDNN_DETERMINISTIC || r.memory > limit) continue;
        if (r.mathType == CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION) continue;
        if (strict && r.mathType == CUDNN_TENSOR_OP_MATH) continue;
        return r;
    }
    throw Error("cuDNN offers no deterministic" + std::string(strict ? " FP32 " : " ") + what +
                " algorithm for the convolution " + shape_text(s));
}

// The search's and the fusion check's workspace limit: at most kFindWorkspaceLimit and half the free memory.
std::size_t search_limit() {
    std::size_t free = 0, total = 0;
    CHECK_CUDA(cudaMemGetInfo(&free, &total));
    return std::min(kFindWorkspaceLimit, free / 2);
}

}  // namespace

// uniform(-20, 20), seeded, over the whole buffer (the noise of a zero "content" at ratio 1).
void CudaBackend::fill_noise(CountedBuffer<float>& buffer, std::uint64_t seed) {
    CHECK_CUDA(cudaMemsetAsync(buffer.data(), 0, buffer.bytes(), stream_.get()));
    kernels::noise_init(buffer.data(), buffer.size(), seed, 1.0f, buffer.data(), stream_.get());
}

// Tensors of one shape for the timed search (the Ex variants run on them) and for the fusion check: counted
// in the backend's memory while planning.
struct CudaBackend::ConvScratch {
    CountedBuffer<float> x, y, w, b, separate;
    ConvScratch(MemoryCounter& m, const ConvShape& s)
        : x(m, s.in_size()), y(m, s.out_size()), w(m, s.filter_size()), b(m, std::size_t(s.out_channels)),
          separate(m, y.size()) {}
};

// Why the fusion policy keeps the separate calls without checking the fused one, or nullptr when the check
// decides (choose_fusion).
const char* CudaBackend::fusion_settled_reason() const {
    const ConvFusion policy = options().fusion;
    if (policy == ConvFusion::Separate) return "forced separate";
    if (policy == ConvFusion::Auto && strict() && !options().autotune) return "strict FP32 without autotune";
    return nullptr;
}

// Whether planning a shape reads the scratch tensors: the timed search does, and so does the fusion check.
// Otherwise they are neither allocated nor counted, and tiles are not made smaller for them.
bool CudaBackend::planning_needs_scratch() const {
    return options().autotune || fusion_settled_reason() == nullptr;
}

std::size_t CudaBackend::conv_memory(const ConvShape& s) const {
    // The scratch above when planning reads it, the search's workspace with autotune, and the kept
    // workspace: each workspace at most the limit.
    const std::size_t tensors = s.in_size() + 2 * s.out_size() + s.filter_size() + std::size_t(s.out_channels);
    return (planning_needs_scratch() ? tensors * sizeof(float) : 0) + (options().autotune ? 2 : 1) * search_limit();
}

void CudaBackend::choose_algorithms(const ConvShape& s, ConvPlan& p) {
    // Strict FP32: FMA math on the descriptors for the choice and for every run (it forbids TF32 whatever
    // algorithm runs). TF32 allowed: default math for the choice, then the chosen result's math type.
    const cudnnMathType_t search_math = strict() ? CUDNN_FMA_MATH : CUDNN_DEFAULT_MATH;
    CHECK_CUDNN(cudnnSetConvolutionMathType(p.forward_conv.get(), search_math));
    CHECK_CUDNN(cudnnSetConvolutionMathType(p.backward_conv.get(), search_math));
    CHECK_CUDNN(cudnnSetConvolutionMathType(p.filter_conv.get(), search_math));
    std::optional<ConvScratch> scratch;
    if (planning_needs_scratch()) scratch.emplace(*memory_, s);
    const std::size_t limit = search_limit();
    if (options().autotune)
        find_algorithms(s, p, *scratch, limit);
    else
        heuristic_algorithms(s, p, limit);
    if (!strict()) {
        CHECK_CUDNN(cudnnSetConvolutionMathType(p.forward_conv.get(), p.forward_math));
        CHECK_CUDNN(cudnnSetConvolutionMathType(p.backward_conv.get(), p.backward_math));
        CHECK_CUDNN(cudnnSetConvolutionMathType(p.filter_conv.get(), p.filter_math));
    }
    ensure(conv_workspace_, std::max({p.forward_workspace, p.backward_workspace, p.filter_workspace}));
    choose_fusion(p, scratch ? &*scratch : nullptr);
}

// Every candidate timed on noise in the scratch tensors (cudnnFind*Ex), the fastest usable one kept.
void CudaBackend::find_algorithms(const ConvShape& s, ConvPlan& p, ConvScratch& t, std::size_t limit) {
    cudnnHandle_t h = dnn_.get();
    std::uint64_t seed = 1;
    for (CountedBuffer<float>* b : {&t.x, &t.w, &t.b}) fill_noise(*b, seed++);
    CountedBuffer<unsigned char> search(*memory_, limit);
    int max_count = 0, count = 0;
    CHECK_CUDNN(cudnnGetConvolutionForwardAlgorithmMaxCount(h, &max_count));
    std::vector<cudnnConvolutionFwdAlgoPerf_t> fwd(static_cast<std::size_t>(max_count));
    CHECK_CUDNN(cudnnFindConvolutionForwardAlgorithmEx(h, p.x.get(), t.x.data(), p.w.get(), t.w.data(),
                                                       p.forward_conv.get(), p.y.get(), t.y.data(), max_count, &count,
                                                       fwd.data(), search.data(), limit));
    const auto& f = pick(fwd, count, strict(), limit, "forward", s);
    p.forward_algo = f.algo;
    p.forward_workspace = f.memory;
    p.forward_math = strict() ? CUDNN_FMA_MATH : f.mathType;
    CHECK_CUDNN(cudnnGetConvolutionBackwardDataAlgorithmMaxCount(h, &max_count));
    std::vector<cudnnConvolutionBwdDataAlgoPerf_t> bwd(static_cast<std::size_t>(max_count));
    CHECK_CUDNN(cudnnFindConvolutionBackwardDataAlgorithmEx(h, p.w.get(), t.w.data(), p.y.get(), t.y.data(),
                                                            p.backward_conv.get(), p.x.get(), t.x.data(), max_count,
                                                            &count, bwd.data(), search.data(), limit));
    const auto& d = pick(bwd, count, strict(), limit, "backward-data", s);
    p.backward_algo = d.algo;
    p.backward_workspace = d.memory;
    p.backward_math = strict() ? CUDNN_FMA_MATH : d.mathType;
    CHECK_CUDNN(cudnnGetConvolutionBackwardFilterAlgorithmMaxCount(h, &max_count));
    std::vector<cudnnConvolutionBwdFilterAlgoPerf_t> flt(static_cast<std::size_t>(max_count));
    CHECK_CUDNN(cudnnFindConvolutionBackwardFilterAlgorithmEx(h, p.x.get(), t.x.data(), p.y.get(), t.y.data(),
                                                              p.filter_conv.get(), p.w.get(), t.w.data(), max_count,
                                                              &count, flt.data(), search.data(), limit));
    const auto& g = pick(flt, count, strict(), limit, "backward-filter", s);
    p.filter_algo = g.algo;
    p.filter_workspace = g.memory;
    p.filter_math = strict() ? CUDNN_FMA_MATH : g.mathType;
}

// cuDNN's heuristics (the _v7 queries): nothing is run or timed, so the choice is the same in every process
// on the same GPU, cuDNN and shape. The workspace is asked for the chosen algorithm itself.
void CudaBackend::heuristic_algorithms(const ConvShape& s, ConvPlan& p, std::size_t limit) {
    cudnnHandle_t h = dnn_.get();
    int max_count = 0, count = 0;
    CHECK_CUDNN(cudnnGetConvolutionForwardAlgorithmMaxCount(h, &max_count));
    std::vector<cudnnConvolutionFwdAlgoPerf_t> fwd(static_cast<std::size_t>(max_count));
    CHECK_CUDNN(cudnnGetConvolutionForwardAlgorithm_v7(h, p.x.get(), p.w.get(), p.forward_conv.get(), p.y.get(),
                                                       max_count, &count, fwd.data()));
    const auto& f = pick(fwd, count, strict(), limit, "forward", s);
    p.forward_algo = f.algo;
    p.forward_math = strict() ? CUDNN_FMA_MATH : f.mathType;
    CHECK_CUDNN(cudnnSetConvolutionMathType(p.forward_conv.get(), p.forward_math));
    CHECK_CUDNN(cudnnGetConvolutionForwardWorkspaceSize(h, p.x.get(), p.w.get(), p.forward_conv.get(), p.y.get(),
                                                        p.forward_algo, &p.forward_workspace));
    CHECK_CUDNN(cudnnGetConvolutionBackwardDataAlgorithmMaxCount(h, &max_count));
    std::vector<cudnnConvolutionBwdDataAlgoPerf_t> bwd(static_cast<std::size_t>(max_count));
    CHECK_CUDNN(cudnnGetConvolutionBackwardDataAlgorithm_v7(h, p.w.get(), p.y.get(), p.backward_conv.get(), p.x.get(),
                                                            max_count, &count, bwd.data()));
    const auto& d = pick(bwd, count, strict(), limit, "backward-data", s);
    p.backward_algo = d.algo;
    p.backward_math = strict() ? CUDNN_FMA_MATH : d.mathType;
    CHECK_CUDNN(cudnnSetConvolutionMathType(p.backward_conv.get(), p.backward_math));
    CHECK_CUDNN(cudnnGetConvolutionBackwardDataWorkspaceSize(h, p.w.get(), p.y.get(), p.backward_conv.get(), p.x.get(),
                                                             p.backward_algo, &p.backward_workspace));
    heuristic_filter_algorithm(s, p, limit);
}

void CudaBackend::heuristic_filter_algorithm(const ConvShape& s, ConvPlan& p, std::size_t limit) {
    cudnnHandle_t h = dnn_.get();
    int max_count = 0, count = 0;
    CHECK_CUDNN(cudnnGetConvolutionBackwardFilterAlgorithmMaxCount(h, &max_count));
    std::vector<cudnnConvolutionBwdFilterAlgoPerf_t> flt(static_cast<std::size_t>(max_count));
    CHECK_CUDNN(cudnnGetConvolutionBackwardFilterAlgorithm_v7(h, p.x.get(), p.y.get(), p.filter_conv.get(), p.w.get(),
                                                              max_count, &count, flt.data()));
    const auto& g = pick(flt, count, strict(), limit, "backward-filter", s);
    p.filter_algo = g.algo;
    p.filter_math = strict() ? CUDNN_FMA_MATH : g.mathType;
    CHECK_CUDNN(cudnnSetConvolutionMathType(p.filter_conv.get(), p.filter_math));
    CHECK_CUDNN(cudnnGetConvolutionBackwardFilterWorkspaceSize(h, p.x.get(), p.y.get(), p.filter_conv.get(), p.w.get(),
                                                               p.filter_algo, &p.filter_workspace));
}

// Whether y = relu(conv(x) + bias) runs as one cuDNN call (BackendOptions::fusion). Auto: only where the fused
// call agrees with the separate calls (fusion_agrees), and then in TF32 mode by rule or, with autotune, where it
// is not slower; in strict FP32 without autotune never (one project found it much slower unless the math
// type is a tensor-op one, and timing would make the choice differ between runs).
void CudaBackend::choose_fusion(ConvPlan& p, ConvScratch* scratch) {
    p.fused = false;
    if (const char* why = fusion_settled_reason()) {
        p.unfused_reason = why;
        return;
    }
    const ConvFusion policy = options().fusion;
    ConvScratch& t = *scratch;  // made by choose_algorithms: planning_needs_scratch() is true here
    const FusionCheck check = check_fusion(p, t);
    if (check == FusionCheck::Unsupported) {
        p.unfused_reason = "not supported";
        return;
    }
    if (policy == ConvFusion::Fused) {  // forced: used even where it disagrees, so that a test can see it
        p.fused = true;
        p.unfused_reason = "";
        return;
    }
    if (check == FusionCheck::Disagrees) {
        p.unfused_reason = "disagreed with the separate calls";
        return;
    }
    if (!options().autotune) {
        p.fused = true;
        p.unfused_reason = "";
        return;
    }
    // A warm-up, then three runs of each, timed with CUDA events (time_ms).
    const float one = 1.0f, zero = 0.0f;
    auto three_runs_ms = [&](const std::function<void()>& run) {
        run();
        return time_ms([&] {
            for (int i = 0; i < 3; ++i) run();
        });
    };
    const double fused_ms = three_runs_ms([&] {
        CHECK_CUDNN(cudnnConvolutionBiasActivationForward(
            dnn_.get(), &one, p.x.get(), t.x.data(), p.w.get(), t.w.data(), p.forward_conv.get(), p.forward_algo,
            conv_workspace_.data(), p.forward_workspace, &zero, p.y.get(), t.y.data(), p.bias.get(), t.b.data(),
            relu_.get(), p.y.get(), t.y.data()));
    });
    const double separate_ms = three_runs_ms([&] { conv_forward_unfused(p, t.x.data(), t.w.data(), t.b.data(), t.y.data(), true); });
    p.fused = fused_ms <= separate_ms;
    p.unfused_reason = p.fused ? "" : "slower";
}

// The fused call on fresh noise x and w (not what the search left there), with a bias of the output's RMS
// scale (so a dropped or misplaced bias shows), against the three separate calls; y is poisoned (NaN) first,
// since the call passes z = y with alpha2 = 0 and must not read it. Same algorithm and math type both ways,
// so only the order of some additions may differ: relative L2 1e-4 in strict FP32, 3e-3 with TF32 (the
// fused kernel may round its inputs at another point).
CudaBackend::FusionCheck CudaBackend::check_fusion(ConvPlan& p, ConvScratch& t) {
    const float one = 1.0f, zero = 0.0f;
    const std::size_t count = t.y.size();
    CountedBuffer<float> sums(*memory_, 2);
    fill_noise(t.x, 11);
    fill_noise(t.w, 12);
    CHECK_CUDNN(cudnnConvolutionForward(dnn_.get(), &one, p.x.get(), t.x.data(), p.w.get(), t.w.data(),
                                        p.forward_conv.get(), p.forward_algo, conv_workspace_.data(),
                                        p.forward_workspace, &zero, p.y.get(), t.separate.data()));
    dot(t.separate.data(), t.separate.data(), count, sums.data());
    float square_sum = 0.0f;
    download(sums.data(), &square_sum, 1);
    const float rms = std::sqrt(square_sum / static_cast<float>(count));
    fill_noise(t.b, 13);                                                  // uniform(-20, 20)
    kernels::scale(rms / 20.0f, t.b.data(), t.b.size(), stream_.get());  // uniform(-rms, rms)
    conv_forward_unfused(p, t.x.data(), t.w.data(), t.b.data(), t.separate.data(), true);
    CHECK_CUDA(cudaMemsetAsync(t.y.data(), 0xFF, t.y.bytes(), stream_.get()));  // all-ones bits: a NaN
    const cudnnStatus_t status = cudnnConvolutionBiasActivationForward(
        dnn_.get(), &one, p.x.get(), t.x.data(), p.w.get(), t.w.data(), p.forward_conv.get(), p.forward_algo,
        conv_workspace_.data(), p.forward_workspace, &zero, p.y.get(), t.y.data(), p.bias.get(), t.b.data(),
        relu_.get(), p.y.get(), t.y.data());
    if (status != CUDNN_STATUS_SUCCESS) {
        // NOT_SUPPORTED (any sub-code) means: use the separate calls. Anything else is an error.
        if (CUDNN_STATUS_CATEGORY(status) != CUDNN_STATUS_NOT_SUPPORTED) CHECK_CUDNN(status);
        return FusionCheck::Unsupported;
    }
    squared_difference_sum(t.y.data(), t.separate.data(), count, sums.data());
    dot(t.separate.data(), t.separate.data(), count, sums.data() + 1);
    float host[2] = {0.0f, 0.0f};
    download(sums.data(), host, 2);
    const double tolerance = strict() ? 1e-8 : 1e-5;  // squared
    // A NaN fails the comparison too.
    return double(host[0]) <= tolerance * double(host[1]) ? FusionCheck::Agrees : FusionCheck::Disagrees;
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
    check_conv_shape(s);
    const ConvKey key{s.batch, s.in_channels, s.out_channels, s.height, s.width, s.kernel, s.stride, s.pad};
    auto it = conv_plans_.find(key);
    if (it != conv_plans_.end()) return *it->second;
    auto p = std::make_unique<ConvPlan>();
    p->x = make_tensor_descriptor(s.batch, s.in_channels, s.height, s.width);
    p->y = make_tensor_descriptor(s.batch, s.out_channels, s.out_height(), s.out_width());
    p->bias = make_tensor_descriptor(1, s.out_channels, 1, 1);
    p->w = make_filter_descriptor(s.out_channels, s.in_channels, s.kernel, s.kernel);
    p->forward_conv = make_convolution_descriptor(s.pad, s.stride);
    p->backward_conv = make_convolution_descriptor(s.pad, s.stride);
    p->filter_conv = make_convolution_descriptor(s.pad, s.stride);
    choose_algorithms(s, *p);
    return *conv_plans_.emplace(key, std::move(p)).first->second;
}

void CudaBackend::prepare_conv(const ConvShape& shape) {
    conv_plan(shape);
}

std::string CudaBackend::describe_conv(const ConvShape& shape) {
    const ConvPlan& p = conv_plan(shape);
    return std::string(options().autotune ? "timed: " : "heuristic: ") + "forward " + forward_algo_name(p.forward_algo) +
           " (" + math_name(p.forward_math) + ", " + kib(p.forward_workspace) + "), bias+ReLU " +
           (p.fused ? std::string("fused") : std::string("separate: fused ") + p.unfused_reason) +
           "; backward-data " + backward_algo_name(p.backward_algo) + " (" + math_name(p.backward_math) + ", " +
           kib(p.backward_workspace) + "); backward-filter " + filter_algo_name(p.filter_algo) + " (" +
           math_name(p.filter_math) + ", " + kib(p.filter_workspace) + ")";
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

void CudaBackend::conv_backward_filter(const ConvShape& s, const float* x, const float* dy, float* dw,
                                       bool accumulate) {
    const ConvPlan& p = conv_plan(s);
    const float one = 1.0f, beta = accumulate ? 1.0f : 0.0f;
    CHECK_CUDNN(cudnnConvolutionBackwardFilter(dnn_.get(), &one, p.x.get(), x, p.y.get(), dy, p.filter_conv.get(),
                                               p.filter_algo, conv_workspace_.data(), p.filter_workspace, &beta,
                                               p.w.get(), dw));
}

void CudaBackend::conv_backward_bias(const ConvShape& s, const float* dy, float* db, bool accumulate) {
    conv_plan(s);  // validates the shape
    kernels::channel_sum(dy, s.batch, s.out_channels, std::size_t(s.out_height()) * s.out_width(), accumulate, db,
                         stream_.get());
}

}  // namespace nst::cuda
