// The op interface every computation in libnst goes through, private to libnst: the CUDA backend
// (lib/src/cuda, kernels/) and the CPU backend (lib/src/cpu) implement it; the network, losses, optimisers
// and loops (lib/src/transfer, lib/src/train), nst-bench and the tests call it. Each op's name is its file
// stem in every home (cmake/NstOps.cmake lists them).
//
// Conventions: float32; feature maps NCHW, packed; a feature map of C channels and M = H*W pixels is also
// read as the row-major matrix F: C x M. Every pointer an op takes is backend memory obtained from
// allocate(), except where a parameter says "host". Ops run in order on the backend's one stream and return
// without waiting; only download() and synchronize() wait. Losses are written to backend memory (a "loss
// slot"), so a loop never waits for them unless it downloads them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/op_shapes.hpp"
#include "nst/backend.hpp"
#include "nst/op_params.hpp"

namespace nst {

class OpBackend : public Backend {
public:
    // ---- timing (nst-bench) ----
    // Runs `work` (ops on this backend), waits for it, and returns how long it took in milliseconds as the
    // backend measures it: CUDA events around it on the backend's stream, or the wall clock on the CPU.
    virtual double time_ms(const std::function<void()>& work) = 0;
    // Evicts cached data so the next op starts cold: CUDA overwrites a buffer larger than the L2 cache;
    // the CPU writes one larger than the last-level cache.
    virtual void flush_cache() = 0;

    // ---- convolution ----
    // Chooses and caches the algorithms for this shape and sizes the one shared workspace. Calling it for
    // every shape before a loop means the loop never allocates; an unprepared shape is prepared on first use.
    virtual void prepare_conv(const ConvShape& shape) = 0;
    // Bytes beyond its inputs, outputs and weights that preparing and running a convolution of this shape can
    // hold at once, for memory estimates: CPU, the im2col chunk (kept, one for all shapes: the largest);
    // CUDA, an upper bound of the algorithm search's scratch while it is prepared and of the workspace after.
    virtual std::size_t conv_memory(const ConvShape& shape) const = 0;
    // How this backend runs a convolution of this shape, in one line (prepares it first): CUDA names the cuDNN
    // algorithms and math types chosen, the workspace and whether bias and ReLU are fused (and if not, why);
    // the CPU names its method. For nst-bench's labels and diagnostics.
    virtual std::string describe_conv(const ConvShape& shape) = 0;
    // y = relu(conv(x, w) + b) (relu optional). w: out x in x kernel x kernel (KCRS); b: out.
    virtual void conv_forward(const ConvShape& shape, const float* x, const float* w, const float* b, float* y,
                              bool relu) = 0;
    // dx = the gradient of <dy, conv(x, w)> with respect to x (x itself is not needed).
    virtual void conv_backward_data(const ConvShape& shape, const float* w, const float* dy, float* dx) = 0;
    // dw (+)= the gradient of <dy, conv(x, w)> with respect to w (+= when accumulate).
    virtual void conv_backward_filter(const ConvShape& shape, const float* x, const float* dy, float* dw,
                                      bool accumulate) = 0;
    // db (+)= Σ over the batch and the output's pixels of dy, per output channel.
    virtual void conv_backward_bias(const ConvShape& shape, const float* dy, float* db, bool accumulate) = 0;

    // ---- ReLU and pooling ----
    // Creates what pooling of this shape and a ReLU backward over `count` elements need (CUDA: cuDNN
    // descriptors), so that a loop never does; optional, as for prepare_conv.
    virtual void prepare_pool(const PoolShape& shape) = 0;
    virtual void prepare_relu(std::size_t count) = 0;
    // dx = dy where y > 0, else 0 (y is the ReLU output). dx may be dy.
    virtual void relu_backward(const float* y, const float* dy, float* dx, std::size_t count) = 0;
    virtual void pool_forward(const PoolShape& shape, const float* x, float* y) = 0;
    // dx (shape of x) from dy (shape of y); needs x and y. Max: each window's gradient goes to its first
    // maximum in row-major order.
    virtual void pool_backward(const PoolShape& shape, const float* x, const float* y, const float* dy, float* dx) = 0;

    // ---- training ops (ResNet-50) ----
    // Training mode: per channel c the mean μ and the biased variance σ² of x; y = γ (x − μ)/√(σ² + ε) + β
    // (then ReLU if params.relu); saved_mean = μ and saved_inv_std = 1/√(σ² + ε) for the backward; the moving
    // statistics m = momentum·m + (1 − momentum)·μ and v likewise with the unbiased variance σ²·n/(n − 1)
    // (σ² itself when a channel has n = 1 value). Every per-channel array has `channels` elements.
    virtual void batch_norm_forward_training(const BatchNormShape& shape, const BatchNormParams& params,
                                             const float* x, const float* gamma, const float* beta, float* y,
                                             float* saved_mean, float* saved_inv_std, float* moving_mean,
                                             float* moving_var) = 0;
    // Inference: y = γ (x − moving_mean)/√(moving_var + ε) + β (then ReLU if params.relu).
    virtual void batch_norm_forward_inference(const BatchNormShape& shape, const BatchNormParams& params,
                                              const float* x, const float* gamma, const float* beta,
                                              const float* moving_mean, const float* moving_var, float* y) = 0;
    // The training forward's backward: dy is the gradient of y (masked by y > 0 first when params.relu);
    // dx = γ·inv_std·(dy − mean(dy) − x̂·mean(dy·x̂)) with x̂ = (x − μ)·inv_std, and dγ (+)= Σ dy·x̂,
    // dβ (+)= Σ dy (+= when accumulate). dx may be dy.
    virtual void batch_norm_backward(const BatchNormShape& shape, const BatchNormParams& params, const float* x,
                                     const float* y, const float* dy, const float* gamma, const float* saved_mean,
                                     const float* saved_inv_std, float* dx, float* dgamma, float* dbeta,
                                     bool accumulate) = 0;
    // y = a + b, then ReLU if `relu` (the residual connection). y may be a or b. Its backward is the ReLU's
    // (relu_backward) followed by the same gradient for both inputs.
    virtual void add(const float* a, const float* b, float* y, std::size_t count, bool relu) = 0;
    virtual void max_pool_forward(const MaxPoolShape& shape, const float* x, float* y) = 0;
    // dx from dy: each window's gradient to its maximum (with ties, one of them). Needs x and y.
    virtual void max_pool_backward(const MaxPoolShape& shape, const float* x, const float* y, const float* dy,
                                   float* dx) = 0;
    // y[n][c] = the mean of x[n][c] over its `pixels` values; backward: dx[n][c][j] = dy[n][c] / pixels.
    virtual void global_avg_pool_forward(int batch, int channels, std::int64_t pixels, const float* x, float* y) = 0;
    virtual void global_avg_pool_backward(int batch, int channels, std::int64_t pixels, const float* dy,
                                          float* dx) = 0;
    // A dense layer on rows: y (batch x outputs) = x (batch x inputs) · w (inputs x outputs, Keras's order) + b.
    virtual void dense_forward(int batch, int inputs, int outputs, const float* x, const float* w, const float* b,
                               float* y) = 0;
    // dx = dy · wᵀ.
    virtual void dense_backward_data(int batch, int inputs, int outputs, const float* w, const float* dy,
                                     float* dx) = 0;
    // dw (+)= xᵀ · dy, db (+)= Σ over the batch of dy (+= when accumulate).
    virtual void dense_backward_weights(int batch, int inputs, int outputs, const float* x, const float* dy,
                                        float* dw, float* db, bool accumulate) = 0;
    // Softmax cross-entropy from logits (batch x classes) against integer labels stored as floats (each in
    // [0, classes): callers check them): *loss = the mean over the batch of −log softmax(logits)[label];
    // *correct = how many rows have their label as the first maximum of the logits (Keras's accuracy);
    // dlogits = (softmax − onehot(label)) / batch. scratch: 2·batch floats.
    virtual void softmax_cross_entropy(int batch, int classes, const float* logits, const float* labels,
                                       float* scratch, float* loss, float* correct, float* dlogits) = 0;
    // Keras's SGD: velocity = momentum·velocity − lr·g; x += velocity (momentum 0: x −= lr·g, velocity unused).
    virtual void sgd_step(float* x, const float* g, float* velocity, std::size_t count, float lr, float momentum) = 0;

    // ---- Gram matrices and losses. F: C x M (channels x pixels), row-major ----
    // G = F Fᵀ (C x C, both triangles written).
    virtual void gram(const float* F, int channels, std::int64_t pixels, float* G) = 0;
    // Style loss of one layer against the target Gram matrix A (C x C):
    //   *loss = weight * Σ(G−A)² / (4 C² M²)      with G = F Fᵀ, computed into `scratch` (C x C)
    //   dF (+)= weight * (G−A) F / (C² M²)        (+= when accumulate, else =)
    virtual void style_loss(const float* F, int channels, std::int64_t pixels, const float* A, float* scratch,
                            float weight, float* loss, float* dF, bool accumulate) = 0;
    // Content loss against the target features P (C x M):
    //   *loss = weight * Σ(F−P)² / (4 C M),   dF (+)= weight * (F−P) / (2 C M)
    virtual void content_loss(const float* F, const float* P, int channels, std::int64_t pixels, float weight,
                              float* loss, float* dF, bool accumulate) = 0;
    // Total variation of x (N x C x H x W), squared differences of horizontal and vertical neighbours:
    //   *loss = weight * Σ [(x[h][w+1]−x[h][w])² + (x[h+1][w]−x[h][w])²],   dx += its gradient
    virtual void tv_loss(int batch, int channels, int height, int width, const float* x, float weight, float* loss,
                         float* dx) = 0;
    // Ruder et al.'s short-term temporal loss (video) of x (C x P, P pixels) against w, the previous frame's
    // result warped to this frame, on the pixels the mask c (P weights, shared by the channels) keeps:
    //   *loss = weight * Σ c (x−w)² / (C P),   dx += weight * 2 c (x−w) / (C P)
    virtual void temporal_loss(int channels, std::int64_t pixels, const float* x, const float* w, const float* c,
                               float weight, float* loss, float* dx) = 0;

    // ---- tiles (the tiled transfer) ----
    // y (channels x window.height x window.width, packed) = the window of x (channels x height x width).
    virtual void crop_forward(int channels, int height, int width, const CropWindow& window, const float* x,
                              float* y) = 0;
    // The crop's adjoint: dx[window] += dy; the rest of dx is unchanged.
    virtual void crop_backward(int channels, int height, int width, const CropWindow& window, const float* dy,
                               float* dx) = 0;

    // ---- reductions (deterministic: fixed order, double accumulation, no float atomics) ----
    virtual void squared_difference_sum(const float* a, const float* b, std::size_t count, float* out) = 0;
    virtual void sum(const float* a, std::size_t count, float* out) = 0;
    virtual void dot(const float* a, const float* b, std::size_t count, float* out) = 0;

    // ---- vector ops and the optimiser ----
    virtual void axpy(float alpha, const float* x, float* y, std::size_t count) = 0;  // y += alpha x
    virtual void scale(float alpha, float* x, std::size_t count) = 0;                 // x *= alpha
    // The same with the coefficient in backend memory, so that L-BFGS's two-loop recursion never waits:
    // y += sign · (*alpha) · x  and  x *= *alpha.
    virtual void axpy_scalar(float sign, const float* alpha, const float* x, float* y, std::size_t count) = 0;
    virtual void scale_scalar(const float* alpha, float* x, std::size_t count) = 0;
    // Scalars in backend memory: *out = *num / *den when *gate > min_gate, else `fallback` (a negative
    // fallback keeps *out as it was); *out = *a − *b.
    virtual void scalar_ratio(const float* num, const float* den, const float* gate, float min_gate, float fallback,
                              float* out) = 0;
    virtual void scalar_subtract(const float* a, const float* b, float* out) = 0;
    // One Adam step t (1-based) on x with gradient g and moments m, v (zero before step 1).
    virtual void adam_step(float* x, const float* g, float* m, float* v, std::size_t count, int step,
                           const AdamParams& params) = 0;

    // ---- images ----
    // Host RGB uint8, height x width x 3 (row-major, interleaved) -> x: 1 x 3 x H x W, minus the mean pixel.
    virtual void image_to_tensor(const std::uint8_t* host_rgb, int height, int width, const float mean_rgb[3],
                                 float* x) = 0;
    // x + mean pixel, clamped to [0, 255], rounded to nearest -> host RGB uint8 (waits for the result).
    virtual void tensor_to_image(const float* x, int height, int width, const float mean_rgb[3],
                                 std::uint8_t* host_rgb) = 0;
    // The notebook's initial image: out = ratio * uniform(−20, 20) + (1 − ratio) * content, with the noise a
    // pure function of (seed, index): bit-identical on every backend.
    virtual void noise_init(const float* content, std::size_t count, std::uint64_t seed, float ratio, float* out) = 0;

protected:
    explicit OpBackend(const BackendOptions& options) : Backend(options) {}
};

// Every Backend is an OpBackend (Backend's constructor is OpBackend's alone).
inline OpBackend& ops_of(Backend& backend) noexcept {
    return static_cast<OpBackend&>(backend);
}
inline const OpBackend& ops_of(const Backend& backend) noexcept {
    return static_cast<const OpBackend&>(backend);
}

// The backends with their ops, for libnst's own code, nst-bench and the tests.
std::unique_ptr<OpBackend> make_cpu_op_backend(const BackendOptions& options = {});
std::unique_ptr<OpBackend> make_cuda_op_backend(const BackendOptions& options = {});
std::unique_ptr<OpBackend> make_op_backend(Device device, const BackendOptions& options = {});

}  // namespace nst
