// The emulated CUDA device's internals, shared by its runtime (runtime.cpp), its cuBLAS (cublas.cpp) and
// its cuDNN (cudnn_*.cpp). Private to the emulator; tests ask emulated.hpp.
//
// Memory (memory.cpp): every device allocation is a mapping of its own, poisoned (all bits set: NaN) when
// allocated, between two inaccessible guard pages, its tail up to the page end filled with a guard pattern.
// Mappings are PROT_NONE except while the emulator runs queued device work, so host code that touches device
// memory outside an emulated operation faults, and the fault handler names the buffer.
//
// Streams (streams.cpp): each call that CUDA runs on a stream is queued there as an Op and runs, in order,
// at a synchronisation point; the clock that events read advances by each op's modelled cost, so timings
// are deterministic. An op that fails makes the error sticky, as a device fault does.
#pragma once

#include <cuda_runtime.h>  // the stand-in: tests/harness/include

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace nst::emulated {

// Every entry point takes this lock: the emulator is one device shared by the process's threads.
std::recursive_mutex& api_mutex();
#define NST_EMULATED_API std::lock_guard<std::recursive_mutex> nst_emulated_lock_(::nst::emulated::api_mutex())

// ---- configuration (environment) ----
std::size_t capacity_bytes();  // NST_EMULATED_MEMORY (bytes, or with K/M/G), default 4 GiB
std::uint64_t seed();          // NST_EMULATED_SEED, default 0: varies cuDNN's rankings (cudnn_algorithms.cpp)
// Prints "nst: note: ..." once per process, on the first context: the device is emulated.
void announce();

// ---- memory (memory.cpp) ----
struct Allocation {
    std::uint64_t id = 0;          // #1, #2, ... in allocation order
    unsigned char* data = nullptr;  // page-aligned
    std::size_t bytes = 0;
    unsigned char* mapping = nullptr;
    std::size_t mapped = 0;
    const void* last_stream = nullptr;  // the stream of the last queued op that used it, until it ran
};
enum class Where { Device, PinnedHost, PageableHost };

cudaError_t allocate(void** out, std::size_t bytes);
cudaError_t release(void* pointer);  // device memory only; double frees and foreign pointers refused
cudaError_t allocate_pinned(void** out, std::size_t bytes);
cudaError_t release_pinned(void* pointer);
Where where(const void* pointer);
// The allocation holding [pointer, pointer + bytes), or nullptr (with why) when that range is not wholly
// inside one live device allocation.
Allocation* device_range(const void* pointer, std::size_t bytes, std::string* why);
Allocation* containing(const void* pointer);  // nullptr outside device memory
std::size_t bytes_in_use();                   // mapped bytes of live allocations
// The allocations whose last queued use was on `stream`: that use has run, nothing is pending on it.
void forget_stream(const void* stream);
// Opens every mapping for the emulator's own access (nested); the last close re-protects them and checks
// every tail guard (a write past a buffer's end inside its last page is reported and fails the run).
void open_memory();
bool close_memory(std::string* why);
std::string describe(const Allocation& a);  // "device buffer #7 (4096 bytes at 0x...)"

// ---- streams and the clock (streams.cpp) ----
struct Op {
    std::string what;                  // for reports: "cudnnConvolutionForward", "kernel ...", "memcpy ..."
    std::function<std::string()> run;  // "" on success, else why it failed
    double cost_us = 1.0;              // the clock's advance
};
struct Stream;
// nullptr: the legacy default stream. Unknown handles: nullptr and *ok = false.
Stream* resolve(cudaStream_t stream, bool* ok);
cudaStream_t handle_of(Stream* stream);
Stream* create_stream(bool blocking);
bool destroy_stream(Stream* stream);
// Queues `op` after marking the allocations that `pointers` fall in as used by this stream; "" or, when one
// of them has queued work on another stream with no synchronisation since, why not (nothing is queued).
std::string enqueue(Stream* stream, const std::vector<const void*>& pointers, Op op);
// Runs the queued work of `stream` (with the legacy stream's implicit synchronisation with blocking streams),
// or of every stream; returns the sticky error.
cudaError_t drain(Stream* stream);
cudaError_t drain_all();
// Runs `work` now, on device memory, as one op of the device (what synchronous calls such as Find*Ex and
// cudaMemcpy to the host do after draining); its failure becomes the sticky error.
cudaError_t run_now(const std::string& what, const std::function<std::string()>& work, double cost_us);
cudaError_t sticky_error();
// Records an error that an API call returns (cudaGetLastError reports it once).
cudaError_t set_last_error(cudaError_t error);
cudaError_t take_last_error();
cudaError_t peek_last_error();
double clock_us();
// For the fault handler: the op running now ("" between ops).
const char* running_op();

// ---- events (streams.cpp) ----
struct Event;
Event* create_event(bool timing);
bool destroy_event(cudaEvent_t event);
Event* find_event(cudaEvent_t event);
cudaError_t record(Event* event, Stream* stream);
cudaError_t synchronize(Event* event);
cudaError_t elapsed(float* ms, Event* start, Event* stop);

// ---- the context (runtime.cpp) ----
// cudaSetDevice/cudaFree(nullptr) create it; library handles need it.
bool context_ready();
void make_context();

// TF32, as tensor cores read a float (cuBLAS's and cuDNN's TF32 math here): its top 19 bits, rounded to
// nearest with ties away from zero (cvt.rna.tf32.f32); infinities and NaN unchanged.
inline float to_tf32(float x) {
    std::uint32_t bits;
    std::memcpy(&bits, &x, 4);
    if ((bits & 0x7f800000u) != 0x7f800000u) bits = (bits + 0x1000u) & 0xffffe000u;
    std::memcpy(&x, &bits, 4);
    return x;
}

// Reports an emulator finding on stderr ("emulated CUDA device: ..."): every refusal says why in one line.
void report(const std::string& what);

}  // namespace nst::emulated
