// The CUDA backend: cuDNN for convolution, ReLU and pooling; cuBLAS for Gram matrices, the style gradient
// and dense layers; libnst's kernels for reductions, losses, batch normalisation, optimisers and image ops. Everything runs on one
// non-blocking stream; only download() and synchronize() wait for it.
//
// This folder holds what is not an op: construction, memory, the stream, timing and the plans' types
// (cuda_backend.cpp). Each op's members live with its kernels in kernels/<op>.cu (the ops: cmake/NstOps.cmake).
#pragma once

#include <map>
#include <memory>
#include <tuple>

#include "core/memory_counter.hpp"
#include "cuda_owners.hpp"
#include "core/op_backend.hpp"

namespace nst::cuda {

// A convolution shape's descriptors and the algorithms chosen for it (by cuDNN's heuristics, or timed by
// cudnnFind*Ex with BackendOptions::autotune).
struct ConvPlan {
    TensorDescriptor x, y, bias;
    FilterDescriptor w;
    // One descriptor per direction, each carrying the math type of its algorithm.
    ConvolutionDescriptor forward_conv, backward_conv, filter_conv;
    cudnnConvolutionFwdAlgo_t forward_algo{};
    cudnnConvolutionBwdDataAlgo_t backward_algo{};
    cudnnConvolutionBwdFilterAlgo_t filter_algo{};
    cudnnMathType_t forward_math = CUDNN_FMA_MATH;  // as set on forward_conv / backward_conv / filter_conv
    cudnnMathType_t backward_math = CUDNN_FMA_MATH;
    cudnnMathType_t filter_math = CUDNN_FMA_MATH;
    std::size_t forward_workspace = 0;
    std::size_t backward_workspace = 0;
    std::size_t filter_workspace = 0;
    bool fused = false;  // y = relu(conv + bias) by cudnnConvolutionBiasActivationForward (ConvFusion)
    // Why the fused call is not used, when it is not: "" (fused), "not supported", "disagreed with the separate
    // calls" (wrong output or a read of z = y despite alpha2 = 0), "slower", "strict FP32 without autotune"
    // or "forced separate".
    const char* unfused_reason = "";
};

// Device memory counted in the backend's memory_in_use() and peak while it lives: the planning scratch.
template <class T>
class CountedBuffer {
public:
    CountedBuffer(MemoryCounter& memory, std::size_t count) : buffer_(count), memory_(memory) {
        memory_.add(buffer_.bytes());
    }
    ~CountedBuffer() { memory_.remove(buffer_.bytes()); }
    CountedBuffer(const CountedBuffer&) = delete;
    CountedBuffer& operator=(const CountedBuffer&) = delete;
    T* data() const noexcept { return buffer_.data(); }
    std::size_t size() const noexcept { return buffer_.size(); }
    std::size_t bytes() const noexcept { return buffer_.bytes(); }

private:
    DeviceBuffer<T> buffer_;
    MemoryCounter& memory_;
};

struct PoolPlan {
    TensorDescriptor x, y;
    PoolingDescriptor pool;
};

class CudaBackend final : public OpBackend {
public:
    explicit CudaBackend(const BackendOptions& options);
    ~CudaBackend() override;

    Device device() const noexcept override { return Device::Cuda; }
    std::string description() const override;

    Buffer allocate(std::size_t count) override;
    void upload(const float* host, float* dst, std::size_t count) override;
    void download(const float* src, float* host, std::size_t count) override;
    void fill(float* dst, std::size_t count, float value) override;
    void copy(const float* src, float* dst, std::size_t count) override;
    void synchronize() override;
    std::size_t memory_in_use() const override { return memory_->in_use.load(); }
    std::size_t peak_memory() const override { return memory_->peak.load(); }
    std::size_t available_memory() const override;
    double time_ms(const std::function<void()>& work) override;
    void flush_cache() override;

    // kernels/conv.cu
    void prepare_conv(const ConvShape& shape) override;
    std::string describe_conv(const ConvShape& shape) override;
    std::size_t conv_memory(const ConvShape& shape) const override;
    void conv_forward(const ConvShape& shape, const float* x, const float* w, const float* b, float* y,
                      bool relu) override;
    void conv_backward_data(const ConvShape& shape, const float* w, const float* dy, float* dx) override;
    void conv_backward_filter(const ConvShape& shape, const float* x, const float* dy, float* dw,
                              bool accumulate) override;
    void conv_backward_bias(const ConvShape& shape, const float* dy, float* db, bool accumulate) override;

    // kernels/relu.cu, kernels/pool.cu
    void prepare_pool(const PoolShape& shape) override { pool_plan(shape); }
    void prepare_relu(std::size_t count) override { flat_descriptor(count); }
    void relu_backward(const float* y, const float* dy, float* dx, std::size_t count) override;
    void pool_forward(const PoolShape& shape, const float* x, float* y) override;
    void pool_backward(const PoolShape& shape, const float* x, const float* y, const float* dy, float* dx) override;

    // kernels/batch_norm.cu, add.cu, max_pool.cu, global_avg_pool.cu, dense.cu, softmax_cross_entropy.cu, sgd.cu
    void batch_norm_forward_training(const BatchNormShape& shape, const BatchNormParams& params, const float* x,
                                     const float* gamma, const float* beta, float* y, float* saved_mean,
                                     float* saved_inv_std, float* moving_mean, float* moving_var) override;
    void batch_norm_forward_inference(const BatchNormShape& shape, const BatchNormParams& params, const float* x,
                                      const float* gamma, const float* beta, const float* moving_mean,
                                      const float* moving_var, float* y) override;
    void batch_norm_backward(const BatchNormShape& shape, const BatchNormParams& params, const float* x,
                             const float* y, const float* dy, const float* gamma, const float* saved_mean,
                             const float* saved_inv_std, float* dx, float* dgamma, float* dbeta,
                             bool accumulate) override;
    void add(const float* a, const float* b, float* y, std::size_t count, bool relu) override;
    void max_pool_forward(const MaxPoolShape& shape, const float* x, float* y) override;
    void max_pool_backward(const MaxPoolShape& shape, const float* x, const float* y, const float* dy,
                           float* dx) override;
    void global_avg_pool_forward(int batch, int channels, std::int64_t pixels, const float* x, float* y) override;
    void global_avg_pool_backward(int batch, int channels, std::int64_t pixels, const float* dy, float* dx) override;
    void dense_forward(int batch, int inputs, int outputs, const float* x, const float* w, const float* b,
                       float* y) override;
    void dense_backward_data(int batch, int inputs, int outputs, const float* w, const float* dy, float* dx) override;
    void dense_backward_weights(int batch, int inputs, int outputs, const float* x, const float* dy, float* dw,
                                float* db, bool accumulate) override;
    void softmax_cross_entropy(int batch, int classes, const float* logits, const float* labels, float* scratch,
                               float* loss, float* correct, float* dlogits) override;
    void sgd_step(float* x, const float* g, float* velocity, std::size_t count, float lr, float momentum) override;

    // kernels/gram.cu, kernels/content_loss.cu, kernels/tv_loss.cu, kernels/temporal_loss.cu
    void gram(const float* F, int channels, std::int64_t pixels, float* G) override;
    void style_loss(const float* F, int channels, std::int64_t pixels, const float* A, float* scratch, float weight,
                    float* loss, float* dF, bool accumulate) override;
    void content_loss(const float* F, const float* P, int channels, std::int64_t pixels, float weight, float* loss,
                      float* dF, bool accumulate) override;
    void tv_loss(int batch, int channels, int height, int width, const float* x, float weight, float* loss,
                 float* dx) override;
    void temporal_loss(int channels, std::int64_t pixels, const float* x, const float* w, const float* c, float weight,
                       float* loss, float* dx) override;

    // kernels/crop.cu
    void crop_forward(int channels, int height, int width, const CropWindow& window, const float* x,
                      float* y) override;
    void crop_backward(int channels, int height, int width, const CropWindow& window, const float* dy,
                       float* dx) override;

    // kernels/reduce.cu
    void squared_difference_sum(const float* a, const float* b, std::size_t count, float* out) override;
    void sum(const float* a, std::size_t count, float* out) override;
    void dot(const float* a, const float* b, std::size_t count, float* out) override;

    // kernels/vector.cu, kernels/adam.cu
    void axpy(float alpha, const float* x, float* y, std::size_t count) override;
    void scale(float alpha, float* x, std::size_t count) override;
    void axpy_scalar(float sign, const float* alpha, const float* x, float* y, std::size_t count) override;
    void scale_scalar(const float* alpha, float* x, std::size_t count) override;
    void scalar_ratio(const float* num, const float* den, const float* gate, float min_gate, float fallback,
                      float* out) override;
    void scalar_subtract(const float* a, const float* b, float* out) override;
    void adam_step(float* x, const float* g, float* m, float* v, std::size_t count, int step,
                   const AdamParams& params) override;

    // kernels/image.cu
    void image_to_tensor(const std::uint8_t* host_rgb, int height, int width, const float mean_rgb[3],
                         float* x) override;
    void tensor_to_image(const float* x, int height, int width, const float mean_rgb[3],
                         std::uint8_t* host_rgb) override;
    void noise_init(const float* content, std::size_t count, std::uint64_t seed, float ratio, float* out) override;

    // The plan chosen for a shape (prepared on first use); for nst-bench and the tests.
    const ConvPlan& conv_plan(const ConvShape& shape);

private:
    using ConvKey = std::tuple<int, int, int, int, int, int, int, int>;
    using PoolKey = std::tuple<int, int, int, int, int>;
    using MaxPoolKey = std::tuple<int, int, int, int, int, int, int>;
    bool strict() const noexcept { return options().precision == Precision::Fp32; }
    struct ConvScratch;  // tensors of a shape for the search and the fusion check (kernels/conv.cu)
    void choose_algorithms(const ConvShape& s, ConvPlan& plan);
    void find_algorithms(const ConvShape& s, ConvPlan& plan, ConvScratch& scratch, std::size_t limit);
    void heuristic_algorithms(const ConvShape& s, ConvPlan& plan, std::size_t limit);
    void heuristic_filter_algorithm(const ConvShape& s, ConvPlan& plan, std::size_t limit);
    const char* fusion_settled_reason() const;
    bool planning_needs_scratch() const;
    void choose_fusion(ConvPlan& plan, ConvScratch* scratch);  // scratch: when planning_needs_scratch()
    enum class FusionCheck { Unsupported, Disagrees, Agrees };
    FusionCheck check_fusion(ConvPlan& plan, ConvScratch& scratch);
    void fill_noise(CountedBuffer<float>& buffer, std::uint64_t seed);
    void conv_forward_unfused(const ConvPlan& plan, const float* x, const float* w, const float* b, float* y,
                              bool relu);
    const PoolPlan& pool_plan(const PoolShape& s);
    const PoolPlan& max_pool_plan(const MaxPoolShape& s);  // kernels/max_pool.cu
    void prepare_reductions();  // allocates partials_ (kernels/reduce.cu)
    cudnnTensorDescriptor_t flat_descriptor(std::size_t count);
    // Grows an internal buffer (counted in memory_in_use) to at least `bytes`.
    void ensure(DeviceBuffer<unsigned char>& buffer, std::size_t bytes);

    std::shared_ptr<MemoryCounter> memory_;
    std::string device_name_;
    Stream stream_;
    CudnnHandle dnn_;
    CublasHandle blas_;
    ActivationDescriptor relu_;
    DeviceBuffer<unsigned char> blas_workspace_;
    DeviceBuffer<unsigned char> conv_workspace_;  // one workspace shared by every convolution
    DeviceBuffer<unsigned char> image_scratch_;   // uint8 RGB on its way to or from the host
    DeviceBuffer<double> partials_;               // the reductions' first-pass sums
    DeviceBuffer<unsigned char> flush_;           // flush_cache()'s buffer (twice the L2 size)
    std::map<ConvKey, std::unique_ptr<ConvPlan>> conv_plans_;
    std::map<PoolKey, PoolPlan> pool_plans_;
    std::map<MaxPoolKey, PoolPlan> max_pool_plans_;
    std::map<std::size_t, TensorDescriptor> flat_descriptors_;
};

}  // namespace nst::cuda
