// CUDA backend: construction, memory, the stream and timing. The ops are in kernels/<op>.cu.
#include "cuda_backend.hpp"

#include <algorithm>

#include "core/cuda_environment.hpp"
#include "nst/environment.hpp"
#include "nst/error.hpp"

namespace nst::cuda {

namespace {

// cuBLAS's workspace; NVIDIA suggests 32 MiB on Hopper.
constexpr std::size_t kBlasWorkspaceBytes = std::size_t(32) << 20;

void release_device(float* data, std::size_t size, void* context) noexcept {
    log_cleanup_error("cudaFree", cudaFree(data));
    static_cast<MemoryCounter*>(context)->remove(size * sizeof(float));
}

}  // namespace

CudaBackend::CudaBackend(const BackendOptions& options) : OpBackend(options), memory_(std::make_shared<MemoryCounter>()) {
    std::string why;
    if (!cuda_device_usable(&why, options.cuda_device))
        throw Error("CUDA backend: no usable CUDA device (" + why + ")");
    CHECK_CUDA(cudaSetDevice(options.cuda_device));
    cudaDeviceProp prop{};
    CHECK_CUDA(cudaGetDeviceProperties(&prop, options.cuda_device));
    device_name_ = prop.name;
    stream_ = make_stream();
    dnn_ = make_cudnn_handle();
    CHECK_CUDNN(cudnnSetStream(dnn_.get(), stream_.get()));
    blas_ = make_cublas_handle();
    CHECK_CUBLAS(cublasSetStream(blas_.get(), stream_.get()));
    // cublasSetStream resets the workspace to the default pool: set ours after it.
    ensure(blas_workspace_, kBlasWorkspaceBytes);
    CHECK_CUBLAS(cublasSetWorkspace(blas_.get(), blas_workspace_.data(), blas_workspace_.bytes()));
    CHECK_CUBLAS(cublasSetMathMode(blas_.get(), strict() ? CUBLAS_DEFAULT_MATH : CUBLAS_TF32_TENSOR_OP_MATH));
    relu_ = make_relu_descriptor();
    prepare_reductions();
}

CudaBackend::~CudaBackend() {
    if (stream_) log_cleanup_error("cudaStreamSynchronize", cudaStreamSynchronize(stream_.get()));
}

std::string CudaBackend::description() const {
    const int loaded = static_cast<int>(cudnnGetVersion());
    const std::string older = detail::cudnn_older_note(loaded, CUDNN_VERSION);
    return "cuda: " + device_name_ + ", cuDNN " + format_cudnn_version(loaded) +
           (older.empty() ? "" : " (" + older + ")") + ", " + (strict() ? "strict FP32" : "TF32 allowed");
}

void CudaBackend::ensure(DeviceBuffer<unsigned char>& buffer, std::size_t bytes) {
    if (buffer.bytes() >= bytes) return;
    memory_->remove(buffer.bytes());
    buffer = DeviceBuffer<unsigned char>();  // free first: the new one may need the room
    buffer = DeviceBuffer<unsigned char>(bytes);
    memory_->add(bytes);
}

Buffer CudaBackend::allocate(std::size_t count) {
    if (count == 0) return {};
    void* p = nullptr;
    const cudaError_t status = cudaMalloc(&p, count * sizeof(float));
    if (status != cudaSuccess) {
        cudaGetLastError();
        std::size_t free = 0, total = 0;
        cudaMemGetInfo(&free, &total);
        throw Error("CUDA backend: cannot allocate " + std::to_string((count * sizeof(float)) >> 20) + " MiB (" +
                    std::to_string(free >> 20) + " MiB free of " + std::to_string(total >> 20) +
                    " MiB): " + cudaGetErrorString(status));
    }
    memory_->add(count * sizeof(float));
    return Buffer(static_cast<float*>(p), count, release_device, memory_);
}

void CudaBackend::upload(const float* host, float* dst, std::size_t count) {
    if (count > 0) CHECK_CUDA(cudaMemcpyAsync(dst, host, count * sizeof(float), cudaMemcpyHostToDevice, stream_.get()));
}

void CudaBackend::download(const float* src, float* host, std::size_t count) {
    if (count == 0) return;
    CHECK_CUDA(cudaMemcpyAsync(host, src, count * sizeof(float), cudaMemcpyDeviceToHost, stream_.get()));
    CHECK_CUDA(cudaStreamSynchronize(stream_.get()));
}

void CudaBackend::copy(const float* src, float* dst, std::size_t count) {
    if (count > 0)
        CHECK_CUDA(cudaMemcpyAsync(dst, src, count * sizeof(float), cudaMemcpyDeviceToDevice, stream_.get()));
}

std::size_t CudaBackend::available_memory() const {
    std::size_t free = 0, total = 0;
    CHECK_CUDA(cudaMemGetInfo(&free, &total));
    return free;
}

double CudaBackend::time_ms(const std::function<void()>& work) {
    Event start = make_event(), stop = make_event();
    CHECK_CUDA(cudaEventRecord(start.get(), stream_.get()));
    work();
    CHECK_CUDA(cudaEventRecord(stop.get(), stream_.get()));
    CHECK_CUDA(cudaEventSynchronize(stop.get()));
    float ms = 0.0f;
    CHECK_CUDA(cudaEventElapsedTime(&ms, start.get(), stop.get()));
    return ms;
}

void CudaBackend::flush_cache() {
    if (flush_.empty()) {
        int l2 = 0;
        CHECK_CUDA(cudaDeviceGetAttribute(&l2, cudaDevAttrL2CacheSize, options().cuda_device));
        ensure(flush_, std::max<std::size_t>(2 * static_cast<std::size_t>(l2), std::size_t(1) << 20));
    }
    CHECK_CUDA(cudaMemsetAsync(flush_.data(), 0, flush_.bytes(), stream_.get()));
}

void CudaBackend::synchronize() {
    CHECK_CUDA(cudaStreamSynchronize(stream_.get()));
}

}  // namespace nst::cuda

namespace nst {

std::unique_ptr<OpBackend> make_cuda_op_backend(const BackendOptions& options) {
    return std::make_unique<cuda::CudaBackend>(options);
}

}  // namespace nst
