// The CPU backend: plainly correct, parallel with OpenMP, convolutions as im2col + OpenBLAS SGEMM.
// Reductions accumulate in double in a fixed order (independent of the thread count).
//
// cpu_backend.cpp holds construction, memory and timing; each op's members are in <op>.cpp beside it, the
// same stems as kernels/<op>.cu (the ops: cmake/NstOps.cmake).
#pragma once

#include <memory>
#include <vector>

#include "core/memory_counter.hpp"
#include "core/op_backend.hpp"

namespace nst::cpu {

class CpuBackend final : public OpBackend {
public:
    explicit CpuBackend(const BackendOptions& options);
    ~CpuBackend() override;

    Device device() const noexcept override { return Device::Cpu; }
    std::string description() const override;

    Buffer allocate(std::size_t count) override;
    void upload(const float* host, float* dst, std::size_t count) override;
    void download(const float* src, float* host, std::size_t count) override;
    void fill(float* dst, std::size_t count, float value) override;
    void copy(const float* src, float* dst, std::size_t count) override;
    void synchronize() override {}
    std::size_t memory_in_use() const override { return memory_->in_use.load(); }
    std::size_t peak_memory() const override { return memory_->peak.load(); }
    std::size_t available_memory() const override;
    double time_ms(const std::function<void()>& work) override;
    void flush_cache() override;

    // conv.cpp
    void prepare_conv(const ConvShape& shape) override;
    std::string describe_conv(const ConvShape& shape) override;
    std::size_t conv_memory(const ConvShape& shape) const override;
    void conv_forward(const ConvShape& shape, const float* x, const float* w, const float* b, float* y,
                      bool relu) override;
    void conv_backward_data(const ConvShape& shape, const float* w, const float* dy, float* dx) override;
    void conv_backward_filter(const ConvShape& shape, const float* x, const float* dy, float* dw,
                              bool accumulate) override;
    void conv_backward_bias(const ConvShape& shape, const float* dy, float* db, bool accumulate) override;

    // relu.cpp, pool.cpp
    void prepare_pool(const PoolShape&) override {}
    void prepare_relu(std::size_t) override {}
    void relu_backward(const float* y, const float* dy, float* dx, std::size_t count) override;
    void pool_forward(const PoolShape& shape, const float* x, float* y) override;
    void pool_backward(const PoolShape& shape, const float* x, const float* y, const float* dy, float* dx) override;

    // batch_norm.cpp, add.cpp, max_pool.cpp, global_avg_pool.cpp, dense.cpp, softmax_cross_entropy.cpp, sgd.cpp
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

    // gram.cpp, content_loss.cpp, tv_loss.cpp, temporal_loss.cpp
    void gram(const float* F, int channels, std::int64_t pixels, float* G) override;
    void style_loss(const float* F, int channels, std::int64_t pixels, const float* A, float* scratch, float weight,
                    float* loss, float* dF, bool accumulate) override;
    void content_loss(const float* F, const float* P, int channels, std::int64_t pixels, float weight, float* loss,
                      float* dF, bool accumulate) override;
    void tv_loss(int batch, int channels, int height, int width, const float* x, float weight, float* loss,
                 float* dx) override;
    void temporal_loss(int channels, std::int64_t pixels, const float* x, const float* w, const float* c, float weight,
                       float* loss, float* dx) override;

    // crop.cpp
    void crop_forward(int channels, int height, int width, const CropWindow& window, const float* x,
                      float* y) override;
    void crop_backward(int channels, int height, int width, const CropWindow& window, const float* dy,
                       float* dx) override;

    // reduce.cpp
    void squared_difference_sum(const float* a, const float* b, std::size_t count, float* out) override;
    void sum(const float* a, std::size_t count, float* out) override;
    void dot(const float* a, const float* b, std::size_t count, float* out) override;

    // vector.cpp, adam.cpp
    void axpy(float alpha, const float* x, float* y, std::size_t count) override;
    void scale(float alpha, float* x, std::size_t count) override;
    void axpy_scalar(float sign, const float* alpha, const float* x, float* y, std::size_t count) override;
    void scale_scalar(const float* alpha, float* x, std::size_t count) override;
    void scalar_ratio(const float* num, const float* den, const float* gate, float min_gate, float fallback,
                      float* out) override;
    void scalar_subtract(const float* a, const float* b, float* out) override;
    void adam_step(float* x, const float* g, float* m, float* v, std::size_t count, int step,
                   const AdamParams& params) override;

    // image.cpp
    void image_to_tensor(const std::uint8_t* host_rgb, int height, int width, const float mean_rgb[3],
                         float* x) override;
    void tensor_to_image(const float* x, int height, int width, const float mean_rgb[3],
                         std::uint8_t* host_rgb) override;
    void noise_init(const float* content, std::size_t count, std::uint64_t seed, float ratio, float* out) override;

    int threads() const noexcept { return threads_; }

private:
    // Output rows (of all images in sequence) per im2col + GEMM chunk, and the scratch (conv.cpp).
    std::int64_t conv_chunk(const ConvShape& shape) const;
    float* conv_scratch(const ConvShape& shape, float** matrix);
    float* workspace(std::size_t count);

    int threads_;
    std::shared_ptr<MemoryCounter> memory_;
    std::vector<float> workspace_;  // im2col columns, sized by prepare_conv
    std::vector<float> flush_;      // flush_cache()'s buffer
};

// Σ over [0, n) of term(i) in double: 64 fixed contiguous chunks, each summed in order, then the chunks in
// order, so the result does not depend on the thread count. No allocation.
template <class Term>
double ordered_sum(std::size_t n, int threads, Term term) {
    constexpr int kChunks = 64;
    double partial[kChunks];
#pragma omp parallel for num_threads(threads) schedule(static)
    for (int c = 0; c < kChunks; ++c) {
        const std::size_t begin = n * static_cast<std::size_t>(c) / kChunks;
        const std::size_t end = n * static_cast<std::size_t>(c + 1) / kChunks;
        double s = 0.0;
        for (std::size_t i = begin; i < end; ++i) s += term(i);
        partial[c] = s;
    }
    double total = 0.0;
    for (double p : partial) total += p;
    return total;
}

}  // namespace nst::cpu
