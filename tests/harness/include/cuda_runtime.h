// The stand-in for CUDA's cuda_runtime.h, for the host compiler. Two users put this folder first on the
// include path:
//   - the kernel tests: kernels/<op>.cuh compile as plain C++ (under ASan and UBSan) and their launches run
//     on the CPU at once (harness.hpp, runtime.cpp);
//   - the emulated CUDA device (../emulator/): the whole CUDA backend (kernels/*.cu, lib/src/cuda/) compiled
//     unchanged against these headers and cudnn.h/cublas_v2.h beside them; launches, copies and library
//     calls are queued per stream and run at synchronisation points, on device memory of its own.
// Never used by libnst itself: nvcc sees CUDA's real header. Declares only what libnst calls; the values are
// CUDA's own.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

// ---- the execution-space and memory-space keywords ----
#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __restrict__ __restrict
// Static shared memory: one copy for the program, in the section the harness poisons before every block
// (blocks run one at a time, so that copy is the running block's). UBSan's bounds check catches indexing
// past a shared array.
#define __shared__ static __attribute__((section("nst_harness_shared")))

// ---- the launch configuration and the built-in variables ----
struct uint3 {
    unsigned x, y, z;
};
struct dim3 {
    unsigned x, y, z;
    constexpr dim3(unsigned vx = 1, unsigned vy = 1, unsigned vz = 1) : x(vx), y(vy), z(vz) {}
};
// Set by the harness for the thread that runs (thread_local: the fibers of a launch share one OS thread).
extern thread_local uint3 threadIdx;
extern thread_local uint3 blockIdx;
extern thread_local dim3 blockDim;
extern thread_local dim3 gridDim;
constexpr int warpSize = 32;

// ---- streams, events and errors ----
using cudaStream_t = struct nst_harness_stream*;
using cudaEvent_t = struct nst_emulated_event*;
enum cudaError_t {
    cudaSuccess = 0,
    cudaErrorInvalidValue = 1,
    cudaErrorMemoryAllocation = 2,
    cudaErrorInitializationError = 3,
    cudaErrorInvalidConfiguration = 9,
    cudaErrorInvalidDevice = 101,
    cudaErrorInvalidResourceHandle = 400,
    cudaErrorNotReady = 600,
    cudaErrorIllegalAddress = 700,
    cudaErrorLaunchFailure = 719,
    cudaErrorNotSupported = 801,
    cudaErrorUnknown = 999,
};
cudaError_t cudaGetLastError();
cudaError_t cudaPeekAtLastError();
const char* cudaGetErrorName(cudaError_t error);
const char* cudaGetErrorString(cudaError_t error);

// ---- the runtime calls the CUDA backend makes (the emulated device answers them: ../emulator/) ----
enum cudaMemcpyKind {
    cudaMemcpyHostToHost = 0,
    cudaMemcpyHostToDevice = 1,
    cudaMemcpyDeviceToHost = 2,
    cudaMemcpyDeviceToDevice = 3,
    cudaMemcpyDefault = 4,
};
enum cudaDeviceAttr {
    cudaDevAttrMaxThreadsPerBlock = 1,
    cudaDevAttrMultiProcessorCount = 16,
    cudaDevAttrL2CacheSize = 38,
};
constexpr unsigned cudaStreamDefault = 0x0;
constexpr unsigned cudaStreamNonBlocking = 0x1;
constexpr unsigned cudaEventDefault = 0x0;
constexpr unsigned cudaEventDisableTiming = 0x2;
struct cudaDeviceProp {
    char name[256];
    std::size_t totalGlobalMem;
    int major;
    int minor;
    int multiProcessorCount;
    int l2CacheSize;
    int maxThreadsPerBlock;
};

cudaError_t cudaGetDeviceCount(int* count);
cudaError_t cudaSetDevice(int device);
cudaError_t cudaGetDevice(int* device);
cudaError_t cudaGetDeviceProperties(cudaDeviceProp* prop, int device);
cudaError_t cudaDeviceGetAttribute(int* value, cudaDeviceAttr attr, int device);
cudaError_t cudaDriverGetVersion(int* version);
cudaError_t cudaRuntimeGetVersion(int* version);
cudaError_t cudaDeviceSynchronize();

cudaError_t cudaMalloc(void** pointer, std::size_t bytes);
template <class T>
cudaError_t cudaMalloc(T** pointer, std::size_t bytes) {
    return cudaMalloc(reinterpret_cast<void**>(pointer), bytes);
}
cudaError_t cudaFree(void* pointer);
cudaError_t cudaMallocHost(void** pointer, std::size_t bytes);
cudaError_t cudaFreeHost(void* pointer);
cudaError_t cudaMemGetInfo(std::size_t* free, std::size_t* total);
cudaError_t cudaMemcpy(void* dst, const void* src, std::size_t bytes, cudaMemcpyKind kind);
cudaError_t cudaMemcpyAsync(void* dst, const void* src, std::size_t bytes, cudaMemcpyKind kind,
                            cudaStream_t stream = nullptr);
cudaError_t cudaMemset(void* pointer, int value, std::size_t bytes);
cudaError_t cudaMemsetAsync(void* pointer, int value, std::size_t bytes, cudaStream_t stream = nullptr);

cudaError_t cudaStreamCreate(cudaStream_t* stream);
cudaError_t cudaStreamCreateWithFlags(cudaStream_t* stream, unsigned flags);
cudaError_t cudaStreamDestroy(cudaStream_t stream);
cudaError_t cudaStreamSynchronize(cudaStream_t stream);
cudaError_t cudaEventCreate(cudaEvent_t* event);
cudaError_t cudaEventCreateWithFlags(cudaEvent_t* event, unsigned flags);
cudaError_t cudaEventDestroy(cudaEvent_t event);
cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t stream = nullptr);
cudaError_t cudaEventSynchronize(cudaEvent_t event);
cudaError_t cudaEventElapsedTime(float* ms, cudaEvent_t start, cudaEvent_t stop);

#include "../harness.hpp"

// ---- barriers and warp collectives: the switch points of the harness's fibers (each call site is recorded,
// so that threads waiting at different barriers are reported) ----
inline void __syncthreads(const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
    ::nst::harness::syncthreads(file, line);
}
inline void __syncwarp(unsigned mask = 0xffffffffu, const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
    ::nst::harness::ballot(mask, true, file, line);
}
template <class T>
inline T __shfl_sync(unsigned mask, T value, int lane, int width = warpSize, const char* file = __builtin_FILE(),
                     int line = __builtin_LINE()) {
    return ::nst::harness::shuffle(mask, value, ::nst::harness::Shuffle::Index, lane, width, file, line);
}
template <class T>
inline T __shfl_down_sync(unsigned mask, T value, unsigned delta, int width = warpSize,
                          const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
    return ::nst::harness::shuffle(mask, value, ::nst::harness::Shuffle::Down, static_cast<int>(delta), width, file,
                                   line);
}
template <class T>
inline T __shfl_up_sync(unsigned mask, T value, unsigned delta, int width = warpSize, const char* file = __builtin_FILE(),
                        int line = __builtin_LINE()) {
    return ::nst::harness::shuffle(mask, value, ::nst::harness::Shuffle::Up, static_cast<int>(delta), width, file, line);
}
template <class T>
inline T __shfl_xor_sync(unsigned mask, T value, int lanes, int width = warpSize, const char* file = __builtin_FILE(),
                         int line = __builtin_LINE()) {
    return ::nst::harness::shuffle(mask, value, ::nst::harness::Shuffle::Xor, lanes, width, file, line);
}
inline unsigned __ballot_sync(unsigned mask, int predicate, const char* file = __builtin_FILE(),
                              int line = __builtin_LINE()) {
    return ::nst::harness::ballot(mask, predicate != 0, file, line);
}
inline int __any_sync(unsigned mask, int predicate, const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
    return ::nst::harness::ballot(mask, predicate != 0, file, line) != 0u;
}
inline int __all_sync(unsigned mask, int predicate, const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
    return ::nst::harness::ballot(mask, predicate != 0, file, line) == ::nst::harness::warp_lanes(mask);
}

// ---- atomics: the fibers never interleave inside one, so a plain read-modify-write is atomic ----
template <class T>
inline T atomicAdd(T* address, T value) {
    const T old = *address;
    *address = old + value;
    return old;
}
template <class T>
inline T atomicMax(T* address, T value) {
    const T old = *address;
    *address = old < value ? value : old;
    return old;
}
template <class T>
inline T atomicMin(T* address, T value) {
    const T old = *address;
    *address = value < old ? value : old;
    return old;
}
template <class T>
inline T atomicExch(T* address, T value) {
    const T old = *address;
    *address = value;
    return old;
}
template <class T>
inline T atomicCAS(T* address, T compare, T value) {
    const T old = *address;
    if (old == compare) *address = value;
    return old;
}
inline void __threadfence() {}
template <class T>
inline T __ldg(const T* p) {
    return *p;
}

// ---- device math CUDA provides in the global namespace beside <cmath>'s ----
inline int min(int a, int b) { return a < b ? a : b; }
inline int max(int a, int b) { return a < b ? b : a; }
inline unsigned min(unsigned a, unsigned b) { return a < b ? a : b; }
inline unsigned max(unsigned a, unsigned b) { return a < b ? b : a; }
inline long long min(long long a, long long b) { return a < b ? a : b; }
inline long long max(long long a, long long b) { return a < b ? b : a; }
inline float __fadd_rn(float a, float b) { return a + b; }
inline double __dadd_rn(double a, double b) { return a + b; }
inline double __dmul_rn(double a, double b) { return a * b; }
