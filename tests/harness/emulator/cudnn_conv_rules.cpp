// The emulated cuDNN's convolution rules: the descriptors' checks, which algorithm runs which problem (cuDNN's
// documented restrictions: FFT needs stride 1, Winograd 3x3 (or 5x5 non-fused) stride-1 filters, DIRECT is
// not implemented, backward-filter WINOGRAD neither), the algorithms' determinism, their workspaces and costs.
#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "cudnn_conv.hpp"

namespace nst::emulated::dnn {

namespace {

// The seed's bits: 0-3 the rankings' quirks (cudnn_algorithms.cpp), 4-7 the fused call's, 8 on the costs.
bool seed_bit(int bit) {
    return ((seed() >> bit) & 1u) != 0;
}

std::size_t next_pow2(std::size_t v) {
    std::size_t p = 1;
    while (p < v) p <<= 1;
    return p;
}

bool unit_stride(const ConvProblem& p) {
    return p.conv->stride_h == 1 && p.conv->stride_w == 1 && p.conv->dilation_h == 1 && p.conv->dilation_w == 1;
}

bool filter_is(const ConvProblem& p, int r) {
    return p.w->dims[2] == r && p.w->dims[3] == r;
}

}  // namespace

double ConvProblem::macs() const {
    return 1.0 * y->dims[0] * y->dims[1] * y->dims[2] * y->dims[3] * w->dims[1] * w->dims[2] * w->dims[3];
}

bool fused_unsupported() { return seed_bit(4); }
bool fused_reads_z() { return seed_bit(5); }
bool fused_slower() { return seed_bit(6); }

cudnnStatus_t check_problem(const char* call, cudnnTensorDescriptor_t x, cudnnFilterDescriptor_t w,
                            cudnnConvolutionDescriptor_t conv, cudnnTensorDescriptor_t y, ConvProblem* out) {
    for (cudnnStatus_t s : {usable(call, "the input tensor descriptor", x), usable(call, "the filter descriptor", w),
                            usable(call, "the convolution descriptor", conv),
                            usable(call, "the output tensor descriptor", y)})
        if (s != CUDNN_STATUS_SUCCESS) return s;
    if (x->type != CUDNN_DATA_FLOAT || w->type != CUDNN_DATA_FLOAT || y->type != CUDNN_DATA_FLOAT ||
        conv->compute != CUDNN_DATA_FLOAT)
        return refuse(CUDNN_STATUS_NOT_SUPPORTED_DATA_TYPE, std::string(call) + ": only float32 is emulated");
    const std::string shapes = std::string(call) + ": x " + std::to_string(x->dims[0]) + "x" + std::to_string(x->dims[1]) +
                               "x" + std::to_string(x->dims[2]) + "x" + std::to_string(x->dims[3]) + ", w " +
                               std::to_string(w->dims[0]) + "x" + std::to_string(w->dims[1]) + "x" +
                               std::to_string(w->dims[2]) + "x" + std::to_string(w->dims[3]) + ", y " +
                               std::to_string(y->dims[0]) + "x" + std::to_string(y->dims[1]) + "x" +
                               std::to_string(y->dims[2]) + "x" + std::to_string(y->dims[3]);
    const int p = 1 + (x->dims[2] + 2 * conv->pad_h - (conv->dilation_h * (w->dims[2] - 1) + 1)) / conv->stride_h;
    const int q = 1 + (x->dims[3] + 2 * conv->pad_w - (conv->dilation_w * (w->dims[3] - 1) + 1)) / conv->stride_w;
    if (x->dims[1] != w->dims[1]) return refuse(CUDNN_STATUS_BAD_PARAM, shapes + ": input channels differ");
    if (x->dims[0] != y->dims[0]) return refuse(CUDNN_STATUS_BAD_PARAM, shapes + ": batch sizes differ");
    if (y->dims[1] != w->dims[0]) return refuse(CUDNN_STATUS_BAD_PARAM, shapes + ": output channels differ");
    if (p < 1 || q < 1 || y->dims[2] != p || y->dims[3] != q)
        return refuse(CUDNN_STATUS_BAD_PARAM, shapes + ": the output should be " + std::to_string(p) + "x" + std::to_string(q));
    *out = ConvProblem{x, w, conv, y};
    return CUDNN_STATUS_SUCCESS;
}

int algo_count(Direction d) {
    if (d == Direction::Forward) return CUDNN_CONVOLUTION_FWD_ALGO_COUNT;
    if (d == Direction::BackwardData) return CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT;
    return CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT;
}

const char* algo_name(Direction d, int a) {
    static const char* const fwd[] = {"IMPLICIT_GEMM", "IMPLICIT_PRECOMP_GEMM", "GEMM", "DIRECT",
                                      "FFT", "FFT_TILING", "WINOGRAD", "WINOGRAD_NONFUSED"};
    static const char* const data[] = {"ALGO_0", "ALGO_1", "FFT", "FFT_TILING", "WINOGRAD", "WINOGRAD_NONFUSED"};
    static const char* const filter[] = {"ALGO_0", "ALGO_1", "FFT", "ALGO_3", "WINOGRAD", "WINOGRAD_NONFUSED",
                                         "FFT_TILING"};
    if (a < 0 || a >= algo_count(d)) return "?";
    return d == Direction::Forward ? fwd[a] : d == Direction::BackwardData ? data[a] : filter[a];
}

std::string algo_support(Direction d, int a, const ConvProblem& p) {
    if (a < 0 || a >= algo_count(d)) return "not an algorithm";
    const std::string name = algo_name(d, a);
    if (d == Direction::Forward && name == "DIRECT") return "DIRECT is not implemented";
    if (d == Direction::BackwardFilter && name == "WINOGRAD") return "backward-filter WINOGRAD is not implemented";
    if (p.conv->dilation_h != 1 || p.conv->dilation_w != 1)
        if (name != "IMPLICIT_GEMM" && name != "ALGO_0" && name != "ALGO_1") return name + " needs dilation 1";
    if (name.rfind("FFT", 0) == 0 && !unit_stride(p)) return name + " needs stride 1";
    if (name == "FFT" && (p.x->dims[2] + 2 * p.conv->pad_h > 256 || p.x->dims[3] + 2 * p.conv->pad_w > 256))
        return "FFT needs padded images of at most 256 x 256";
    if (name == "WINOGRAD" && !(unit_stride(p) && filter_is(p, 3))) return "WINOGRAD needs 3x3 filters and stride 1";
    if (name == "WINOGRAD_NONFUSED" && !(unit_stride(p) && (filter_is(p, 3) || filter_is(p, 5))))
        return "WINOGRAD_NONFUSED needs 3x3 or 5x5 filters and stride 1";
    return "";
}

bool deterministic(Direction d, int a) {
    if (d == Direction::BackwardData) return a != CUDNN_CONVOLUTION_BWD_DATA_ALGO_0;
    if (d == Direction::BackwardFilter)
        return a != CUDNN_CONVOLUTION_BWD_FILTER_ALGO_0 && a != CUDNN_CONVOLUTION_BWD_FILTER_ALGO_3;
    return true;
}

std::size_t workspace_bytes(Direction d, int a, const ConvProblem& p) {
    const std::size_t N = p.x->dims[0], C = p.x->dims[1], H = p.x->dims[2], W = p.x->dims[3], K = p.w->dims[0],
                      R = p.w->dims[2], S = p.w->dims[3], P = p.y->dims[2], Q = p.y->dims[3];
    const std::string name = algo_name(d, a);
    const std::size_t planes = N * C + K * C + N * K;
    if (name == "IMPLICIT_GEMM" || name == "ALGO_0") return 0;
    if (name == "IMPLICIT_PRECOMP_GEMM") return 4 * C * R * S + 256;
    if (name == "GEMM" || name == "ALGO_1") return 4 * C * R * S * P * Q;
    if (name == "ALGO_3") return 4 * K * C * R * S;
    if (name == "FFT") return 8 * planes * next_pow2(H + 2 * p.conv->pad_h) * next_pow2(W + 2 * p.conv->pad_w);
    if (name == "FFT_TILING") return 8 * planes * 32 * 32;
    if (name == "WINOGRAD") return 4 * C * K * 16;
    if (name == "WINOGRAD_NONFUSED") return 4 * 36 * (C * K + planes * ((P + 3) / 4) * ((Q + 3) / 4));
    return 0;
}

double cost_us(Direction d, int a, const ConvProblem& p) {
    static const double fwd[] = {1.5, 1.0, 1.3, 9.0, 0.8, 0.9, 0.6, 0.7};
    static const double data[] = {1.1, 1.0, 0.8, 0.9, 0.6, 0.7};
    static const double filter[] = {1.1, 1.0, 0.9, 1.2, 9.0, 0.7, 0.8};
    const double f = d == Direction::Forward ? fwd[a] : d == Direction::BackwardData ? data[a] : filter[a];
    const double jitter = seed_bit(8) ? 1.0 + 0.5 * ((seed() >> (9 + a)) & 1u) : 1.0;
    return 2.0 + p.macs() * f * jitter / 1e4;
}

Rounding rounding(cudnnMathType_t math) {
    const char* tf32 = std::getenv("NVIDIA_TF32_OVERRIDE");
    if (math == CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION) return Rounding::Half;
    if (math == CUDNN_FMA_MATH || (tf32 != nullptr && std::strcmp(tf32, "0") == 0)) return Rounding::None;
    return Rounding::Tf32;
}

}  // namespace nst::emulated::dnn
