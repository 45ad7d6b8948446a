// The emulated cuDNN's convolutions, shared by its entry points (cudnn_conv.cpp), its algorithm queries
// (cudnn_algorithms.cpp), its rules (cudnn_conv_rules.cpp) and its arithmetic (cudnn_conv_math.cpp). Private
// to the emulator.
#pragma once

#include <vector>

#include "cudnn_objects.hpp"

namespace nst::emulated::dnn {

enum class Direction { Forward, BackwardData, BackwardFilter };

// x: N x C x H x W, w: K x C x R x S, y: N x K x P x Q under the convolution's padding, stride and dilation.
struct ConvProblem {
    const nst_emulated_tensor* x = nullptr;
    const nst_emulated_filter* w = nullptr;
    const nst_emulated_convolution* conv = nullptr;
    const nst_emulated_tensor* y = nullptr;
    double macs() const;
};

// A problem's descriptors copied at the call: queued work must not see later changes to them.
struct OwnedProblem {
    nst_emulated_tensor x, y;
    nst_emulated_filter w;
    nst_emulated_convolution conv;
    explicit OwnedProblem(const ConvProblem& p) : x(*p.x), y(*p.y), w(*p.w), conv(*p.conv) {}
    ConvProblem view() const { return ConvProblem{&x, &w, &conv, &y}; }
};

// cuDNN's checks of a convolution's descriptors: set, float32 throughout (NOT_SUPPORTED_DATA_TYPE
// otherwise), channels and batch agreeing, y of the output size cudnnGetConvolution2dForwardOutputDim gives
// (BAD_PARAM otherwise).
cudnnStatus_t check_problem(const char* call, cudnnTensorDescriptor_t x, cudnnFilterDescriptor_t w,
                            cudnnConvolutionDescriptor_t conv, cudnnTensorDescriptor_t y, ConvProblem* out);

// The algorithm exists and runs the problem (NOT_SUPPORTED otherwise), and the workspace holds at least what
// cudnnGet*WorkspaceSize reports for it (*needed), in device memory (BAD_PARAM otherwise).
cudnnStatus_t check_algorithm(const char* call, Direction d, int algo, const ConvProblem& p, const void* workspace,
                              std::size_t workspace_size, std::size_t* needed);
// The algorithm's use of its workspace: afterwards it holds garbage.
void scribble(void* workspace, std::size_t bytes);

int algo_count(Direction d);
const char* algo_name(Direction d, int algo);
// "" when cuDNN runs `algo` for the problem, else why not (CUDNN_STATUS_NOT_SUPPORTED).
std::string algo_support(Direction d, int algo, const ConvProblem& p);
bool deterministic(Direction d, int algo);
// What cudnnGet*WorkspaceSize answers: a pure function of the algorithm and the shape.
std::size_t workspace_bytes(Direction d, int algo, const ConvProblem& p);
// The deterministic clock's cost of one run (microseconds), varied by the seed.
double cost_us(Direction d, int algo, const ConvProblem& p);
// The seed's quirks of the fused call (cudnnConvolutionBiasActivationForward).
bool fused_unsupported();  // it answers NOT_SUPPORTED for every algorithm
bool fused_reads_z();      // it reads z although alpha2 = 0 (libnst's fusion check must catch this)
bool fused_slower();       // its cost is twice the separate calls'

// How the inputs are rounded: TF32 where the math type allows tensor cores (default or tensor-op math on
// this compute capability 9.0 device, unless NVIDIA_TF32_OVERRIDE=0), FP16 with ALLOW_CONVERSION.
enum class Rounding { None, Tf32, Half };
Rounding rounding(cudnnMathType_t math);
// `p` itself without rounding, else a rounded copy in `storage`.
const float* rounded(const float* p, std::size_t n, Rounding r, std::vector<float>& storage);

// The three directions in double, from the descriptors' strides: the raw result (no alpha, beta), dense, in
// `out` (reused between calls: large results would otherwise be fresh pages every time).
void forward(const ConvProblem& p, const float* x, const float* w, std::vector<double>& out);
void backward_data(const ConvProblem& p, const float* w, const float* dy, std::vector<double>& out);
void backward_filter(const ConvProblem& p, const float* x, const float* dy, std::vector<double>& out);
// Per-thread buffers for the above: slot 0 the result, 1 and 2 the rounded inputs.
std::vector<double>& result_buffer();
std::vector<float>& input_buffer(int slot);
// dst = alpha·result + beta·dst over a tensor's (or filter's) strides; dst is not read when beta = 0.
void blend(const std::array<int, 4>& dims, const std::array<int, 4>& strides, const std::vector<double>& result,
           double alpha, double beta, float* dst);

}  // namespace nst::emulated::dnn
