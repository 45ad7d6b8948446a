// The kernel harness: runs libnst's CUDA kernels on the CPU, for the tests. A launch runs the grid's blocks
// one after another; a block's threads run as cooperative fibers (ucontext, with AddressSanitizer told of
// every stack switch). A fiber runs threads back to back until one reaches __syncthreads or a warp
// collective; the harness then starts the others, and when every thread that has not exited waits at the
// same barrier it releases them all (a warp collective: the lanes of one warp). So barrier semantics hold,
// and what breaks them is reported as a launch failure instead of being silently wrong:
//   - a barrier that some threads of the block never reach (they exited, or wait at another barrier);
//   - a warp collective whose lanes disagree on the call, or on the mask.
// Shared memory is poisoned (all bits set: NaN, -1) before every block, so a read before the write that
// should precede it shows. Included by the stand-in cuda_runtime.h; the kernels themselves never name it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <memory>
#include <vector>

namespace nst::harness {

// The order in which the blocks of a grid run, and in which a block's threads run between two barriers:
// Forward (0, 1, 2, ...) or Reverse. A correct kernel gives the same result either way; a kernel missing a
// barrier or reading another thread's data too early rarely does (tests run both).
enum class Schedule { Forward, Reverse };
void set_schedule(Schedule schedule);
Schedule schedule();

// What the harness did since reset_counts(): for its own tests.
struct Counts {
    std::size_t launches = 0;
    std::size_t blocks = 0;
    std::size_t threads = 0;
    std::size_t barriers = 0;  // barrier and warp-collective releases
    std::size_t fibers = 0;    // fibers created (each runs threads back to back until one waits)
};
Counts counts();
void reset_counts();

// Why the last failed launch failed (what cudaGetLastError's cudaErrorLaunchFailure or
// cudaErrorInvalidConfiguration means), "" before any failure.
std::string last_error_message();

// Runs `thread_body` as every thread of a grid. The configuration is checked as CUDA checks it (at most 1024
// threads a block, 1024 x 1024 x 64 per dimension; grid.x below 2³¹, y and z at most 65535; at most 48 KiB
// of dynamic shared memory): a bad one runs nothing and sets cudaErrorInvalidConfiguration.
void run_grid(dim3 grid, dim3 block, std::size_t shared_bytes, const std::function<void()>& thread_body);

// Whether a launch configuration is one CUDA accepts (the limits above): "" when it is, else why not.
std::string configuration_problem(dim3 grid, dim3 block, std::size_t shared_bytes);

// A launch of `thread_body` (every thread of the grid) on `stream`. The kernel tests' runtime runs it at once
// (runtime.cpp); the emulated CUDA device checks the configuration now, as CUDA does, and queues the launch
// on its stream until a synchronisation point (emulator/). `pointers`: the kernel's pointer arguments, for
// the emulated device's checks (where they point, which stream last used them).
void submit(cudaStream_t stream, const char* kernel_name, dim3 grid, dim3 block, std::size_t shared_bytes,
            std::vector<const void*> pointers, std::function<void()> thread_body);

template <class T>
void collect_pointer(std::vector<const void*>& out, const T& value) {
    if constexpr (std::is_pointer_v<T>) out.push_back(static_cast<const void*>(value));
}

// kernel<<<grid, block, shared_bytes, stream>>>(args...) on the CPU: the arguments are converted to the
// kernel's parameter types and copied once, as a launch copies them to the device.
template <class... Params, class... Args>
void launch(void (*kernel)(Params...), dim3 grid, dim3 block, std::size_t shared_bytes, cudaStream_t stream,
            Args&&... args) {
    auto params = std::make_shared<std::tuple<std::decay_t<Params>...>>(std::forward<Args>(args)...);
    std::vector<const void*> pointers;
    std::apply([&](const auto&... p) { (collect_pointer(pointers, p), ...); }, *params);
    submit(stream, __PRETTY_FUNCTION__, grid, block, shared_bytes, std::move(pointers),
           [kernel, params] { std::apply(kernel, *params); });
}

// What the stand-in cuda_runtime.h's built-ins call (file and line: the call site, for error messages).
void syncthreads(const char* file, int line);
void* dynamic_shared();
enum class Shuffle { Index, Down, Up, Xor };
std::uint64_t shuffle_bits(unsigned mask, std::uint64_t bits, Shuffle kind, int operand, int width, const char* file,
                           int line);
unsigned ballot(unsigned mask, bool predicate, const char* file, int line);
// The lanes of the calling thread's warp that exist (a block's last warp may be partial), within `mask`.
unsigned warp_lanes(unsigned mask);

template <class T>
T shuffle(unsigned mask, T value, Shuffle kind, int operand, int width, const char* file, int line) {
    static_assert(sizeof(T) <= 8 && std::is_trivially_copyable_v<T>, "shuffles move up to 8 bytes");
    std::uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof(T));
    bits = shuffle_bits(mask, bits, kind, operand, width, file, line);
    T out;
    std::memcpy(&out, &bits, sizeof(T));
    return out;
}

}  // namespace nst::harness
