// The emulated device's CUDA runtime entry points: the device and its context, memory, streams, events
// and errors (copies and memsets: copies.cpp; launches: runtime.cpp). Every call returns the sticky error
// once a device operation has failed, as CUDA does after a fault.
#include <algorithm>
#include <cstdio>
#include <cstring>

#include "device.hpp"

namespace em = nst::emulated;

namespace {

// An API call's result: recorded for cudaGetLastError when it is an error.
cudaError_t result(cudaError_t e) {
    return em::set_last_error(e);
}

#define NST_STICKY_CHECK                                                              \
    do {                                                                              \
        if (em::sticky_error() != cudaSuccess) return em::sticky_error();             \
    } while (0)

}  // namespace

cudaError_t cudaGetLastError() {
    NST_EMULATED_API;
    return em::take_last_error();
}

cudaError_t cudaPeekAtLastError() {
    NST_EMULATED_API;
    return em::peek_last_error();
}

cudaError_t cudaGetDeviceCount(int* count) {
    if (count == nullptr) return result(cudaErrorInvalidValue);
    *count = 1;
    return cudaSuccess;
}

cudaError_t cudaSetDevice(int device) {
    NST_EMULATED_API;
    if (device != 0) return result(cudaErrorInvalidDevice);
    em::make_context();
    return cudaSuccess;
}

cudaError_t cudaGetDevice(int* device) {
    if (device == nullptr) return result(cudaErrorInvalidValue);
    *device = 0;
    return cudaSuccess;
}

cudaError_t cudaGetDeviceProperties(cudaDeviceProp* prop, int device) {
    if (prop == nullptr) return result(cudaErrorInvalidValue);
    if (device != 0) return result(cudaErrorInvalidDevice);
    *prop = cudaDeviceProp{};
    std::snprintf(prop->name, sizeof prop->name, "libnst emulated CUDA device (not a GPU)");
    prop->totalGlobalMem = em::capacity_bytes();
    prop->major = 9;  // a Hopper's compute capability: TF32 exists there
    prop->minor = 0;
    prop->multiProcessorCount = 4;
    prop->l2CacheSize = 1 << 20;
    prop->maxThreadsPerBlock = 1024;
    return cudaSuccess;
}

cudaError_t cudaDeviceGetAttribute(int* value, cudaDeviceAttr attr, int device) {
    if (value == nullptr) return result(cudaErrorInvalidValue);
    if (device != 0) return result(cudaErrorInvalidDevice);
    cudaDeviceProp prop;
    cudaGetDeviceProperties(&prop, 0);
    switch (attr) {
        case cudaDevAttrMaxThreadsPerBlock: *value = prop.maxThreadsPerBlock; return cudaSuccess;
        case cudaDevAttrMultiProcessorCount: *value = prop.multiProcessorCount; return cudaSuccess;
        case cudaDevAttrL2CacheSize: *value = prop.l2CacheSize; return cudaSuccess;
    }
    return result(cudaErrorInvalidValue);
}

cudaError_t cudaDriverGetVersion(int* version) {
    if (version == nullptr) return result(cudaErrorInvalidValue);
    *version = 13000;
    return cudaSuccess;
}

cudaError_t cudaRuntimeGetVersion(int* version) {
    if (version == nullptr) return result(cudaErrorInvalidValue);
    *version = 13000;
    return cudaSuccess;
}

cudaError_t cudaDeviceSynchronize() {
    NST_EMULATED_API;
    return result(em::drain_all());
}

cudaError_t cudaMalloc(void** pointer, std::size_t bytes) {
    NST_EMULATED_API;
    NST_STICKY_CHECK;
    em::make_context();
    return result(em::allocate(pointer, bytes));
}

// cudaFree waits for the device (it synchronises implicitly), so no queued work can use the memory after it.
cudaError_t cudaFree(void* pointer) {
    NST_EMULATED_API;
    em::make_context();
    if (pointer == nullptr) return cudaSuccess;
    NST_STICKY_CHECK;
    if (const cudaError_t e = em::drain_all(); e != cudaSuccess) return e;
    return result(em::release(pointer));
}

cudaError_t cudaMallocHost(void** pointer, std::size_t bytes) {
    NST_EMULATED_API;
    em::make_context();
    return result(em::allocate_pinned(pointer, bytes));
}

cudaError_t cudaFreeHost(void* pointer) {
    NST_EMULATED_API;
    if (const cudaError_t e = em::drain_all(); e != cudaSuccess) return e;
    return result(em::release_pinned(pointer));
}

// Free: the capacity less what the live allocations map, less a context's reserve (a GPU never offers all
// of its memory either).
cudaError_t cudaMemGetInfo(std::size_t* free, std::size_t* total) {
    NST_EMULATED_API;
    NST_STICKY_CHECK;
    if (free == nullptr || total == nullptr) return result(cudaErrorInvalidValue);
    em::make_context();
    const std::size_t capacity = em::capacity_bytes();
    const std::size_t reserve = std::min(capacity / 16, std::size_t(256) << 20);
    const std::size_t used = em::bytes_in_use() + reserve;
    *total = capacity;
    *free = used >= capacity ? 0 : capacity - used;
    return cudaSuccess;
}

cudaError_t cudaStreamCreate(cudaStream_t* stream) {
    return cudaStreamCreateWithFlags(stream, cudaStreamDefault);
}

cudaError_t cudaStreamCreateWithFlags(cudaStream_t* stream, unsigned flags) {
    NST_EMULATED_API;
    NST_STICKY_CHECK;
    if (stream == nullptr || (flags & ~cudaStreamNonBlocking) != 0) return result(cudaErrorInvalidValue);
    em::make_context();
    *stream = em::handle_of(em::create_stream((flags & cudaStreamNonBlocking) == 0));
    return cudaSuccess;
}

cudaError_t cudaStreamDestroy(cudaStream_t stream) {
    NST_EMULATED_API;
    bool ok = false;
    em::Stream* s = em::resolve(stream, &ok);
    if (!ok || stream == nullptr) return result(cudaErrorInvalidResourceHandle);
    return result(em::destroy_stream(s) ? em::sticky_error() : cudaErrorInvalidResourceHandle);
}

cudaError_t cudaStreamSynchronize(cudaStream_t stream) {
    NST_EMULATED_API;
    bool ok = false;
    em::Stream* s = em::resolve(stream, &ok);
    if (!ok) return result(cudaErrorInvalidResourceHandle);
    return result(em::drain(s));
}

cudaError_t cudaEventCreate(cudaEvent_t* event) {
    return cudaEventCreateWithFlags(event, cudaEventDefault);
}

cudaError_t cudaEventCreateWithFlags(cudaEvent_t* event, unsigned flags) {
    NST_EMULATED_API;
    NST_STICKY_CHECK;
    if (event == nullptr || (flags & ~cudaEventDisableTiming) != 0) return result(cudaErrorInvalidValue);
    em::make_context();
    *event = reinterpret_cast<cudaEvent_t>(em::create_event((flags & cudaEventDisableTiming) == 0));
    return cudaSuccess;
}

cudaError_t cudaEventDestroy(cudaEvent_t event) {
    NST_EMULATED_API;
    return result(em::destroy_event(event) ? cudaSuccess : cudaErrorInvalidResourceHandle);
}

cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t stream) {
    NST_EMULATED_API;
    NST_STICKY_CHECK;
    em::Event* e = em::find_event(event);
    bool ok = false;
    em::Stream* s = em::resolve(stream, &ok);
    if (e == nullptr || !ok) return result(cudaErrorInvalidResourceHandle);
    return result(em::record(e, s));
}

cudaError_t cudaEventSynchronize(cudaEvent_t event) {
    NST_EMULATED_API;
    em::Event* e = em::find_event(event);
    if (e == nullptr) return result(cudaErrorInvalidResourceHandle);
    return result(em::synchronize(e));
}

cudaError_t cudaEventElapsedTime(float* ms, cudaEvent_t start, cudaEvent_t stop) {
    NST_EMULATED_API;
    NST_STICKY_CHECK;
    em::Event* a = em::find_event(start);
    em::Event* b = em::find_event(stop);
    if (ms == nullptr) return result(cudaErrorInvalidValue);
    if (a == nullptr || b == nullptr) return result(cudaErrorInvalidResourceHandle);
    return result(em::elapsed(ms, a, b));
}
