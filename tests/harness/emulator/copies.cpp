// The emulated device's copies and memsets. Each copy's kind is checked against where its pointers live
// (device memory, pinned host memory, pageable host memory), each device range against its allocation, and
// each is synchronous or queued as CUDA documents (docs/cuda-notes.md, "The emulated device"):
//   cudaMemcpy        host->device: the legacy stream is synchronised first; pageable memory is staged at
//                     once (the call returns then), pinned memory copied before returning. device->host:
//                     returns when the copy has completed. device->device: queued, no host synchronisation.
//   cudaMemcpyAsync   queued on the stream; from pageable host memory the source is staged at the call (so
//                     the caller may reuse it at once), to host memory the destination is written only when
//                     the stream runs: reading it before a synchronisation reads what was there before.
//   host->host        synchronous, in both forms.
#include <cstring>
#include <memory>
#include <vector>

#include "device.hpp"

namespace em = nst::emulated;

namespace {

const char* kind_name(cudaMemcpyKind kind) {
    switch (kind) {
        case cudaMemcpyHostToHost: return "host-to-host";
        case cudaMemcpyHostToDevice: return "host-to-device";
        case cudaMemcpyDeviceToHost: return "device-to-host";
        case cudaMemcpyDeviceToDevice: return "device-to-device";
        case cudaMemcpyDefault: return "default";
    }
    return "unknown";
}

// The kind the pointers say (what cudaMemcpyDefault infers).
cudaMemcpyKind actual_kind(void* dst, const void* src) {
    const bool d = em::where(dst) == em::Where::Device, s = em::where(src) == em::Where::Device;
    return s ? (d ? cudaMemcpyDeviceToDevice : cudaMemcpyDeviceToHost)
             : (d ? cudaMemcpyHostToDevice : cudaMemcpyHostToHost);
}

// "" when `kind` matches the pointers and every device range lies inside its allocation.
std::string copy_problem(void* dst, const void* src, std::size_t bytes, cudaMemcpyKind kind, const char* call) {
    const cudaMemcpyKind real = actual_kind(dst, src);
    if (kind != cudaMemcpyDefault && kind != real)
        return std::string(call) + ": a " + kind_name(kind) + " copy whose pointers make it " + kind_name(real);
    if (kind < cudaMemcpyHostToHost || kind > cudaMemcpyDefault) return std::string(call) + ": not a copy kind";
    std::string why;
    if ((real == cudaMemcpyHostToDevice || real == cudaMemcpyDeviceToDevice) && !em::device_range(dst, bytes, &why))
        return std::string(call) + ": destination: " + why;
    if ((real == cudaMemcpyDeviceToHost || real == cudaMemcpyDeviceToDevice) && !em::device_range(src, bytes, &why))
        return std::string(call) + ": source: " + why;
    return "";
}

em::Op copy_op(void* dst, const void* src, std::size_t bytes) {
    return em::Op{"memcpy", [=] {
                      std::memmove(dst, src, bytes);
                      return std::string();
                  },
                  1.0 + static_cast<double>(bytes) / 2e4};
}

// Host-to-device from pageable memory: the source staged now, written when the stream runs.
em::Op staged_op(void* dst, const void* src, std::size_t bytes) {
    auto staged = std::make_shared<std::vector<unsigned char>>(static_cast<const unsigned char*>(src),
                                                               static_cast<const unsigned char*>(src) + bytes);
    return em::Op{"memcpy host-to-device (staged)", [=] {
                      std::memcpy(dst, staged->data(), bytes);
                      return std::string();
                  },
                  1.0 + static_cast<double>(bytes) / 2e4};
}

cudaError_t queue(em::Stream* s, void* dst, const void* src, em::Op op) {
    if (const std::string why = em::enqueue(s, {dst, src}, std::move(op)); !why.empty()) {
        em::report(why);
        return em::set_last_error(cudaErrorInvalidValue);
    }
    return cudaSuccess;
}

cudaError_t copy(void* dst, const void* src, std::size_t bytes, cudaMemcpyKind kind, em::Stream* s, bool async) {
    if (const std::string why = copy_problem(dst, src, bytes, kind, async ? "cudaMemcpyAsync" : "cudaMemcpy");
        !why.empty()) {
        em::report(why);
        return em::set_last_error(cudaErrorInvalidValue);
    }
    if (bytes == 0) return cudaSuccess;
    const cudaMemcpyKind real = actual_kind(dst, src);
    const bool pinned = em::where(real == cudaMemcpyHostToDevice ? src : dst) == em::Where::PinnedHost;
    if (real == cudaMemcpyHostToHost) {
        if (const cudaError_t e = em::drain(s); e != cudaSuccess) return e;
        std::memmove(dst, src, bytes);
        return cudaSuccess;
    }
    if (real == cudaMemcpyDeviceToDevice || (async && !(real == cudaMemcpyHostToDevice && !pinned)))
        return queue(s, dst, src, copy_op(dst, src, bytes));
    if (real == cudaMemcpyHostToDevice && !pinned) {
        if (!async)
            if (const cudaError_t e = em::drain(s); e != cudaSuccess) return e;
        return queue(s, dst, src, staged_op(dst, src, bytes));
    }
    // Synchronous host-to-device from pinned memory, or device-to-host: after the stream, before returning.
    if (const cudaError_t e = em::drain(s); e != cudaSuccess) return e;
    return em::run_now("cudaMemcpy", copy_op(dst, src, bytes).run, 1.0 + static_cast<double>(bytes) / 2e4);
}

cudaError_t memset_on(em::Stream* s, void* pointer, int value, std::size_t bytes, const char* call) {
    std::string why;
    if (bytes > 0 && !em::device_range(pointer, bytes, &why)) {
        em::report(std::string(call) + ": " + why);
        return em::set_last_error(cudaErrorInvalidValue);
    }
    if (bytes == 0) return cudaSuccess;
    em::Op op{call, [=] {
                  std::memset(pointer, value, bytes);
                  return std::string();
              },
              1.0 + static_cast<double>(bytes) / 1e5};
    return queue(s, pointer, nullptr, std::move(op));
}

}  // namespace

cudaError_t cudaMemcpy(void* dst, const void* src, std::size_t bytes, cudaMemcpyKind kind) {
    NST_EMULATED_API;
    if (em::sticky_error() != cudaSuccess) return em::sticky_error();
    bool ok = false;
    return copy(dst, src, bytes, kind, em::resolve(nullptr, &ok), false);
}

cudaError_t cudaMemcpyAsync(void* dst, const void* src, std::size_t bytes, cudaMemcpyKind kind, cudaStream_t stream) {
    NST_EMULATED_API;
    if (em::sticky_error() != cudaSuccess) return em::sticky_error();
    bool ok = false;
    em::Stream* s = em::resolve(stream, &ok);
    if (!ok) return em::set_last_error(cudaErrorInvalidResourceHandle);
    return copy(dst, src, bytes, kind, s, true);
}

cudaError_t cudaMemset(void* pointer, int value, std::size_t bytes) {
    NST_EMULATED_API;
    if (em::sticky_error() != cudaSuccess) return em::sticky_error();
    bool ok = false;
    return memset_on(em::resolve(nullptr, &ok), pointer, value, bytes, "cudaMemset");
}

cudaError_t cudaMemsetAsync(void* pointer, int value, std::size_t bytes, cudaStream_t stream) {
    NST_EMULATED_API;
    if (em::sticky_error() != cudaSuccess) return em::sticky_error();
    bool ok = false;
    em::Stream* s = em::resolve(stream, &ok);
    if (!ok) return em::set_last_error(cudaErrorInvalidResourceHandle);
    return memset_on(s, pointer, value, bytes, "cudaMemsetAsync");
}
