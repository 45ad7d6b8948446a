// Backends: where libnst computes. Two implementations: CUDA (cuDNN, cuBLAS and libnst's kernels: the
// product) and CPU (OpenBLAS + OpenMP: the reference every GPU result is checked against, and the fallback
// without a GPU). A program makes one (make_backend), hands it to a transfer or a trainer (nst/transfer.hpp,
// nst/train.hpp) and asks it about its device and memory. The ops a backend runs are private to libnst, so
// adding one never changes this interface.
//
// Memory is float32, owned by the backend (Buffer); every pointer below is backend memory (device memory for
// CUDA) obtained from allocate(), except where a parameter says "host". Work runs in order on the backend's
// one stream and returns without waiting; only download() and synchronize() wait.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <utility>

#include "nst/device.hpp"

namespace nst {

// float32 memory owned by a backend; move-only. Copies between host and backend are explicit calls.
class Buffer {
public:
    Buffer() = default;
    ~Buffer();
    Buffer(Buffer&& other) noexcept;
    Buffer& operator=(Buffer&& other) noexcept;
    Buffer(const Buffer&) = delete;
    Buffer& operator=(const Buffer&) = delete;

    float* data() const noexcept { return data_; }
    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }

    // For backends: how the memory is given back (never throws), with the backend's bookkeeping as context.
    using Release = void (*)(float* data, std::size_t size, void* context) noexcept;
    Buffer(float* data, std::size_t size, Release release, std::shared_ptr<void> context) noexcept
        : data_(data), size_(size), release_(release), context_(std::move(context)) {}

private:
    void reset() noexcept;

    float* data_ = nullptr;
    std::size_t size_ = 0;
    Release release_ = nullptr;
    std::shared_ptr<void> context_;
};

enum class Precision {
    Fp32,  // strict FP32 everywhere (cuDNN FMA math, cuBLAS default math)
    Tf32,  // tensor cores with TF32 inputs allowed for convolutions and Gram matrices (about 1e-3 relative)
};

enum class GramMethod {
    Gemm,  // G = F Fᵀ with SGEMM (both triangles computed)
    Syrk,  // SSYRK computes one triangle, mirrored after
};

// Whether the CUDA backend runs convolution, bias and ReLU as one cuDNN call.
enum class ConvFusion {
    Auto,      // where it agrees with the separate calls on noise and (strict FP32: only with autotune) pays
    Fused,     // wherever cuDNN runs it (tests: the fused path against the CPU)
    Separate,  // never (tests: the separate calls against the CPU)
};

struct BackendOptions {
    Precision precision = Precision::Fp32;
    GramMethod gram = GramMethod::Gemm;
    int cpu_threads = 0;  // CPU backend: OpenMP/OpenBLAS threads, 0 = all cores
    // CUDA: false (default) chooses each convolution's algorithms by cuDNN's heuristics, a rule that does not
    // time anything, so the same build, GPU and seed give bit-identical results in every process; true times
    // every candidate on the GPU (cudnnFind) and takes the fastest, which can differ from run to run.
    bool autotune = false;
    ConvFusion fusion = ConvFusion::Auto;
    int cuda_device = 0;  // CUDA: the device's index (nst batch under MPI: the local rank mod the device count)
};

// A backend: its device, its memory and the options it was made with. Only libnst's own backends derive from
// it (through its private op interface), so a reference to one is always one of them.
class Backend {
public:
    virtual ~Backend() = default;
    Backend(const Backend&) = delete;
    Backend& operator=(const Backend&) = delete;

    virtual Device device() const noexcept = 0;
    // "cpu: OpenBLAS, 2 threads" / "cuda: NVIDIA H200, cuDNN 9.19.0, strict FP32"
    virtual std::string description() const = 0;
    const BackendOptions& options() const noexcept { return options_; }

    // ---- memory ----
    virtual Buffer allocate(std::size_t count) = 0;
    virtual void upload(const float* host, float* dst, std::size_t count) = 0;
    virtual void download(const float* src, float* host, std::size_t count) = 0;  // waits for the result
    virtual void fill(float* dst, std::size_t count, float value) = 0;
    virtual void copy(const float* src, float* dst, std::size_t count) = 0;
    virtual void synchronize() = 0;
    // Bytes of backend memory in use and the peak since creation: every buffer, workspace and scratch the
    // backend allocates, counted while it lives (CUDA: device memory; CPU: this backend's
    // allocations).
    virtual std::size_t memory_in_use() const = 0;
    virtual std::size_t peak_memory() const = 0;
    // Bytes that could still be allocated (CUDA: free device memory; CPU: MemAvailable).
    virtual std::size_t available_memory() const = 0;

private:
    friend class OpBackend;  // libnst's op interface, the one class that derives from this one
    explicit Backend(const BackendOptions& options) : options_(options) {}

    BackendOptions options_;
};

// The CPU backend: always available.
std::unique_ptr<Backend> make_cpu_backend(const BackendOptions& options = {});
// The CUDA backend on device options.cuda_device; nst::Error when no device is usable.
std::unique_ptr<Backend> make_cuda_backend(const BackendOptions& options = {});
// make_cuda_backend or make_cpu_backend.
std::unique_ptr<Backend> make_backend(Device device, const BackendOptions& options = {});

}  // namespace nst
