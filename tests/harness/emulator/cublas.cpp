// The emulated device's cuBLAS: the same argument checks and arithmetic as the kernel tests' stand-in
// (../blas_rules.cpp), queued on the handle's stream, on emulated device memory, and with cuBLAS's rules for
// the handle: a context first; matrices in device memory and wholly inside their allocations; alpha and beta
// host pointers (the default pointer mode); cublasSetStream resetting the workspace to cuBLAS's own pool; a
// user workspace 256-byte aligned device memory that must still be allocated when the call runs; and the
// math mode: TF32 (CUBLAS_TF32_TENSOR_OP_MATH) rounds SGEMM's inputs to TF32's 10-bit mantissa, as tensor
// cores do, and SSYRK stays in FP32 (cuBLAS does not document SSYRK's use of TF32; see docs/cuda-notes.md).
#include <cstring>
#include <memory>
#include <vector>

#include "../blas_rules.hpp"
#include "device.hpp"

namespace em = nst::emulated;

struct nst_harness_cublas {
    em::Stream* stream = nullptr;  // nullptr until created: the legacy stream
    cudaStream_t stream_handle = nullptr;
    void* workspace = nullptr;  // nullptr: cuBLAS's own pool
    std::size_t workspace_bytes = 0;
    cublasMath_t math = CUBLAS_DEFAULT_MATH;
};

namespace {

std::vector<nst_harness_cublas*>& handles() {
    static std::vector<nst_harness_cublas*> h;
    return h;
}

bool known(cublasHandle_t h) {
    for (nst_harness_cublas* k : handles())
        if (k == h) return true;
    return false;
}

std::shared_ptr<std::vector<float>> tf32_copy(const float* p, std::size_t n) {
    auto v = std::make_shared<std::vector<float>>(p, p + n);
    for (float& x : *v) x = em::to_tf32(x);
    return v;
}

// "" when every operand lies in device memory and alpha/beta on the host.
std::string operand_problem(const char* call, const std::vector<std::pair<const void*, std::size_t>>& operands,
                            const float* alpha, const float* beta) {
    for (const auto& [p, elements] : operands) {
        std::string why;
        if (elements > 0 && !em::device_range(p, elements * sizeof(float), &why))
            return std::string(call) + ": a matrix operand: " + why;
    }
    if (alpha == nullptr || beta == nullptr) return std::string(call) + ": a null alpha or beta";
    if (em::where(alpha) == em::Where::Device || em::where(beta) == em::Where::Device)
        return std::string(call) + ": alpha or beta in device memory under the host pointer mode";
    return "";
}

cublasStatus_t refuse(cublasStatus_t status, const std::string& why) {
    em::report(why);
    return status;
}

// Queues `work` on the handle's stream, with the workspace's liveness checked when it runs.
cublasStatus_t queue(cublasHandle_t h, const char* call, std::vector<const void*> pointers,
                     std::function<void()> work, double cost) {
    if (em::sticky_error() != cudaSuccess) return CUBLAS_STATUS_EXECUTION_FAILED;
    void* workspace = h->workspace;
    const std::size_t workspace_bytes = h->workspace_bytes;
    if (workspace != nullptr) pointers.push_back(workspace);
    em::Op op{call, [=] {
                  std::string why;
                  if (workspace != nullptr && !em::device_range(workspace, workspace_bytes, &why))
                      return "the handle's workspace: " + why;
                  work();
                  return std::string();
              },
              cost};
    if (const std::string why = em::enqueue(h->stream, pointers, std::move(op)); !why.empty())
        return refuse(CUBLAS_STATUS_EXECUTION_FAILED, std::string(call) + ": " + why);
    return CUBLAS_STATUS_SUCCESS;
}

}  // namespace

cublasStatus_t cublasCreate(cublasHandle_t* handle) {
    NST_EMULATED_API;
    if (handle == nullptr) return CUBLAS_STATUS_INVALID_VALUE;
    em::make_context();
    bool ok = false;
    auto* h = new nst_harness_cublas;
    h->stream = em::resolve(nullptr, &ok);
    handles().push_back(h);
    *handle = h;
    return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasDestroy(cublasHandle_t handle) {
    NST_EMULATED_API;
    if (!known(handle)) return CUBLAS_STATUS_NOT_INITIALIZED;
    auto& h = handles();
    for (std::size_t i = 0; i < h.size(); ++i)
        if (h[i] == handle) h.erase(h.begin() + static_cast<std::ptrdiff_t>(i));
    delete handle;
    return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasSetStream(cublasHandle_t handle, cudaStream_t stream) {
    NST_EMULATED_API;
    if (!known(handle)) return CUBLAS_STATUS_NOT_INITIALIZED;
    bool ok = false;
    em::Stream* s = em::resolve(stream, &ok);
    if (!ok) return refuse(CUBLAS_STATUS_INVALID_VALUE, "cublasSetStream: not a stream");
    handle->stream = s;
    handle->stream_handle = stream;
    handle->workspace = nullptr;  // cuBLAS: setting the stream resets the workspace to its own pool
    handle->workspace_bytes = 0;
    return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasGetStream(cublasHandle_t handle, cudaStream_t* stream) {
    NST_EMULATED_API;
    if (!known(handle)) return CUBLAS_STATUS_NOT_INITIALIZED;
    *stream = handle->stream_handle;
    return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasSetWorkspace(cublasHandle_t handle, void* workspace, std::size_t bytes) {
    NST_EMULATED_API;
    if (!known(handle)) return CUBLAS_STATUS_NOT_INITIALIZED;
    std::string why;
    if (bytes > 0 && !em::device_range(workspace, bytes, &why))
        return refuse(CUBLAS_STATUS_INVALID_VALUE, "cublasSetWorkspace: " + why);
    if (reinterpret_cast<std::uintptr_t>(workspace) % 256 != 0)
        return refuse(CUBLAS_STATUS_INVALID_VALUE, "cublasSetWorkspace: the workspace is not 256-byte aligned");
    handle->workspace = bytes > 0 ? workspace : nullptr;
    handle->workspace_bytes = bytes;
    return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasSetMathMode(cublasHandle_t handle, cublasMath_t mode) {
    NST_EMULATED_API;
    if (!known(handle)) return CUBLAS_STATUS_NOT_INITIALIZED;
    const int base = mode & ~CUBLAS_MATH_DISALLOW_REDUCED_PRECISION_REDUCTION;
    if (base < CUBLAS_DEFAULT_MATH || base > CUBLAS_TF32_TENSOR_OP_MATH)
        return refuse(CUBLAS_STATUS_INVALID_VALUE, "cublasSetMathMode: not a math mode");
    handle->math = mode;
    return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasGetMathMode(cublasHandle_t handle, cublasMath_t* mode) {
    NST_EMULATED_API;
    if (!known(handle) || mode == nullptr) return CUBLAS_STATUS_NOT_INITIALIZED;
    *mode = handle->math;
    return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasGetProperty(libraryPropertyType type, int* value) {
    if (value == nullptr) return CUBLAS_STATUS_INVALID_VALUE;
    *value = type == MAJOR_VERSION ? 13 : type == MINOR_VERSION ? 1 : 0;
    return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasSgemm(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n,
                           int k, const float* alpha, const float* A, int lda, const float* B, int ldb,
                           const float* beta, float* C, int ldc) {
    NST_EMULATED_API;
    if (!known(handle)) return CUBLAS_STATUS_NOT_INITIALIZED;
    const nst::harness::Gemm g{transa, transb, m, n, k, lda, ldb, ldc};
    if (const cublasStatus_t s = nst::harness::check(g); s != CUBLAS_STATUS_SUCCESS)
        return refuse(s, "cublasSgemm: invalid arguments: " + nst::harness::text(g));
    std::size_t sa = 0, sb = 0, sc = 0;
    nst::harness::spans(g, &sa, &sb, &sc);
    if (const std::string why = operand_problem("cublasSgemm", {{A, sa}, {B, sb}, {C, sc}}, alpha, beta); !why.empty())
        return refuse(CUBLAS_STATUS_EXECUTION_FAILED, why);
    const float a = *alpha, b = *beta;
    const bool tf32 = (handle->math & 0xf) == CUBLAS_TF32_TENSOR_OP_MATH;
    return queue(handle, "cublasSgemm", {A, B, C},
                 [=] {
                     if (!tf32) return nst::harness::compute(g, a, A, B, b, C);
                     const auto ra = tf32_copy(A, sa), rb = tf32_copy(B, sb);
                     nst::harness::compute(g, a, ra->data(), rb->data(), b, C);
                 },
                 1.0 + 2.0 * m * n * k / 1e6);
}

cublasStatus_t cublasSsyrk(cublasHandle_t handle, cublasFillMode_t uplo, cublasOperation_t trans, int n, int k,
                           const float* alpha, const float* A, int lda, const float* beta, float* C, int ldc) {
    NST_EMULATED_API;
    if (!known(handle)) return CUBLAS_STATUS_NOT_INITIALIZED;
    const nst::harness::Syrk y{uplo, trans, n, k, lda, ldc};
    if (const cublasStatus_t s = nst::harness::check(y); s != CUBLAS_STATUS_SUCCESS)
        return refuse(s, "cublasSsyrk: invalid arguments: " + nst::harness::text(y));
    std::size_t sa = 0, sc = 0;
    nst::harness::spans(y, &sa, &sc);
    if (const std::string why = operand_problem("cublasSsyrk", {{A, sa}, {C, sc}}, alpha, beta); !why.empty())
        return refuse(CUBLAS_STATUS_EXECUTION_FAILED, why);
    const float a = *alpha, b = *beta;
    return queue(handle, "cublasSsyrk", {A, C}, [=] { nst::harness::compute(y, a, A, b, C); },
                 1.0 + 1.0 * n * n * k / 1e6);
}
