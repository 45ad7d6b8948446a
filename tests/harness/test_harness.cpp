// The kernel harness itself: launches run every thread once with CUDA's indices, barriers and warp
// collectives keep their semantics, and what a GPU would get wrong silently is caught here: a missing
// __syncthreads gives a wrong result, an off-by-one write breaks a guard zone, a barrier only some threads
// reach and a bad launch configuration become nst::Error from the launch check.
#include <catch2/catch.hpp>
#include <cuda_runtime.h>  // the stand-in: tests/harness/include

#include <cmath>
#include <numeric>
#include <vector>

#include "guarded.hpp"
#include "kernel_checks.hpp"
#include "launch.cuh"
#include "nst/error.hpp"

using namespace nst;
using namespace nst::test;

namespace {

constexpr int kThreads = 256;

// Every thread writes its global linear index (x fastest) where that index points.
__global__ void write_ids(int* out) {
    const unsigned bx = blockIdx.x + gridDim.x * (blockIdx.y + gridDim.y * blockIdx.z);
    const unsigned tx = threadIdx.x + blockDim.x * (threadIdx.y + blockDim.y * threadIdx.z);
    const unsigned id = bx * (blockDim.x * blockDim.y * blockDim.z) + tx;
    out[id] = static_cast<int>(id);
}

// A block's sum in shared memory by a tree; `barrier` false leaves out the barrier inside the tree (the
// bug the harness must expose).
template <bool barrier>
__global__ void block_sum(const float* x, float* out) {
    __shared__ float cache[kThreads];
    cache[threadIdx.x] = x[blockIdx.x * kThreads + threadIdx.x];
    __syncthreads();
    for (int half = kThreads / 2; half > 0; half /= 2) {
        if (static_cast<int>(threadIdx.x) < half) cache[threadIdx.x] += cache[threadIdx.x + half];
        if (barrier) __syncthreads();
    }
    if (threadIdx.x == 0) out[blockIdx.x] = cache[0];
}

// Writes one element too many: i <= n.
__global__ void fill_off_by_one(float* y, int n) {
    const int i = static_cast<int>(blockIdx.x * blockDim.x + threadIdx.x);
    if (i <= n) y[i] = 1.0f;
}

// Threads from `first_exit` on return before the barrier the others wait at.
__global__ void early_exit(float* y, int first_exit) {
    if (static_cast<int>(threadIdx.x) >= first_exit) return;
    __syncthreads();
    y[threadIdx.x] = 1.0f;
}

// Even and odd threads wait at two different barriers.
__global__ void split_barriers(float* y) {
    if (threadIdx.x % 2 == 0) {
        __syncthreads();
    } else {
        __syncthreads();
    }
    y[threadIdx.x] = 1.0f;
}

// Reads shared memory before any thread wrote it: sees the harness's poison (NaN), never a stale value.
__global__ void read_unwritten_shared(float* y) {
    __shared__ float scratch[32];
    y[blockIdx.x * 32 + threadIdx.x] = scratch[threadIdx.x];
    __syncthreads();
    scratch[threadIdx.x] = 7.0f;
}

// A warp's sum with shuffles; lane 0 writes it. `exit_lane` >= 0 leaves that lane out (an error).
__global__ void warp_sum(const float* x, float* out, int exit_lane) {
    if (static_cast<int>(threadIdx.x) == exit_lane) return;
    float v = x[blockIdx.x * 32 + threadIdx.x];
    for (int delta = 16; delta > 0; delta /= 2) v += __shfl_down_sync(0xffffffffu, v, delta);
    const unsigned positive = __ballot_sync(0xffffffffu, x[blockIdx.x * 32 + threadIdx.x] > 0.0f);
    if (threadIdx.x == 0) {
        out[2 * blockIdx.x] = v;
        out[2 * blockIdx.x + 1] = static_cast<float>(__builtin_popcount(positive));
    }
}

// Each block copies x to y through dynamic shared memory.
__global__ void through_dynamic_shared(const float* x, float* y) {
    NST_DYNAMIC_SHARED(float, buffer);
    buffer[threadIdx.x] = x[blockIdx.x * blockDim.x + threadIdx.x];
    __syncthreads();
    y[blockIdx.x * blockDim.x + (blockDim.x - 1 - threadIdx.x)] = buffer[threadIdx.x];
}

std::vector<float> ramp(std::size_t n) {
    std::vector<float> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<float>((i * 37) % 101) - 50.0f;
    return v;
}

}  // namespace

TEST_CASE("harness: every thread of a 3-D grid of 3-D blocks runs once, with CUDA's indices", "[harness]") {
    for_each_schedule([] {
        const dim3 grid(3, 2, 2), block(4, 3, 5);
        const std::size_t n = 3 * 2 * 2 * 4 * 3 * 5;
        Guarded<int> out(n);
        kernels::launch(write_ids, grid, block, 0, nullptr, out.data());
        std::vector<int> expected(n);
        std::iota(expected.begin(), expected.end(), 0);
        CHECK(out.values() == expected);
        CHECK(out.guards_intact());
    });
}

TEST_CASE("harness: barriers hold, and a missing one gives a wrong sum", "[harness][barrier]") {
    const std::vector<float> x = ramp(4 * kThreads);
    std::vector<float> expected(4, 0.0f);
    for (std::size_t i = 0; i < x.size(); ++i) expected[i / kThreads] += x[i];
    for_each_schedule([&] {
        Guarded<float> in(x), out(4);
        kernels::launch(block_sum<true>, dim3(4), dim3(kThreads), 0, nullptr, in.data(), out.data());
        CHECK(out.values() == expected);
    });
    // Without the barrier inside the tree, thread 0 runs ahead of the threads whose partial sums it reads:
    // under the forward schedule it adds values they have not yet updated.
    Guarded<float> in(x), out(4);
    kernels::launch(block_sum<false>, dim3(4), dim3(kThreads), 0, nullptr, in.data(), out.data());
    CHECK(out.values() != expected);
}

TEST_CASE("harness: an off-by-one write lands in the guard zone", "[harness][guard]") {
    Guarded<float> y(1000);
    kernels::launch(fill_off_by_one, dim3(4), dim3(kThreads), 0, nullptr, y.data(), 1000);  // writes y[1000]
    CHECK_FALSE(y.guards_intact());
    Guarded<float> z(1000);
    kernels::launch(fill_off_by_one, dim3(4), dim3(kThreads), 0, nullptr, z.data(), 999);  // the last is y[999]
    CHECK(z.guards_intact());
}

TEST_CASE("harness: a barrier only some threads reach is a launch failure that says where", "[harness][barrier]") {
    Guarded<float> y(64);
    CHECK_THROWS_WITH(kernels::launch(early_exit, dim3(1), dim3(64), 0, nullptr, y.data(), 40),
                      Catch::Contains("threads 0-39 wait there, threads 40-63 exited without reaching it"));
    CHECK_THROWS_WITH(kernels::launch(split_barriers, dim3(1), dim3(8), 0, nullptr, y.data()),
                      Catch::Contains("wait at different barriers"));
    // The harness is usable again after a failed launch.
    Guarded<float> z(64);
    kernels::launch(early_exit, dim3(1), dim3(64), 0, nullptr, z.data(), 64);
    CHECK(z.values() == std::vector<float>(64, 1.0f));
}

TEST_CASE("harness: a launch configuration CUDA refuses is refused", "[harness][config]") {
    Guarded<int> out(4096);
    CHECK_THROWS_WITH(kernels::launch(write_ids, dim3(1), dim3(2048), 0, nullptr, out.data()),
                      Catch::Contains("cudaErrorInvalidConfiguration") && Catch::Contains("at most 1024 threads"));
    CHECK_THROWS_WITH(kernels::launch(write_ids, dim3(1, 70000), dim3(1), 0, nullptr, out.data()),
                      Catch::Contains("grid 1x70000x1"));
    CHECK_THROWS_WITH(kernels::launch(through_dynamic_shared, dim3(1), dim3(32), 64 * 1024, nullptr, nullptr, nullptr),
                      Catch::Contains("dynamic shared memory"));
}

TEST_CASE("harness: shared memory starts poisoned in every block", "[harness][shared]") {
    Guarded<float> y(3 * 32);
    kernels::launch(read_unwritten_shared, dim3(3), dim3(32), 0, nullptr, y.data());
    for (float v : y.values()) CHECK(std::isnan(v));  // block 1 and 2 do not see block 0's 7.0
}

TEST_CASE("harness: warp shuffles and ballots exchange lanes' values; a missing lane is reported", "[harness][warp]") {
    const std::vector<float> x = ramp(3 * 32);
    for_each_schedule([&] {
        Guarded<float> in(x), out(6);
        kernels::launch(warp_sum, dim3(3), dim3(32), 0, nullptr, in.data(), out.data(), -1);
        for (int b = 0; b < 3; ++b) {
            float sum = 0.0f, positive = 0.0f;
            for (int l = 0; l < 32; ++l) {
                sum += x[static_cast<std::size_t>(b * 32 + l)];
                positive += x[static_cast<std::size_t>(b * 32 + l)] > 0.0f ? 1.0f : 0.0f;
            }
            CHECK(out.values()[static_cast<std::size_t>(2 * b)] == Approx(sum));
            CHECK(out.values()[static_cast<std::size_t>(2 * b + 1)] == positive);
        }
    });
    Guarded<float> in(x), out(6);
    CHECK_THROWS_WITH(kernels::launch(warp_sum, dim3(1), dim3(32), 0, nullptr, in.data(), out.data(), 5),
                      Catch::Contains("warp collective") && Catch::Contains("arrived"));
}

TEST_CASE("harness: dynamic shared memory is one buffer per block", "[harness][shared]") {
    const std::vector<float> x = ramp(4 * 64);
    Guarded<float> in(x), out(x.size());
    kernels::launch(through_dynamic_shared, dim3(4), dim3(64), 64 * sizeof(float), nullptr, in.data(), out.data());
    for (std::size_t i = 0; i < x.size(); ++i) CHECK(out.values()[i] == x[i / 64 * 64 + (63 - i % 64)]);
}

TEST_CASE("harness: a barrier-free kernel runs each block's threads back to back on one fiber", "[harness]") {
    Guarded<int> out(64 * 128);
    harness::reset_counts();
    kernels::launch(write_ids, dim3(64), dim3(128), 0, nullptr, out.data());
    const harness::Counts c = harness::counts();
    CHECK(c.blocks == 64);
    CHECK(c.threads == 64 * 128);
    CHECK(c.barriers == 0);
    CHECK(c.fibers <= 1);  // reused across blocks (0 when an earlier test made it)
    harness::reset_counts();
    Guarded<float> in(ramp(2 * kThreads)), sums(2);
    kernels::launch(block_sum<true>, dim3(2), dim3(kThreads), 0, nullptr, in.data(), sums.data());
    CHECK(harness::counts().barriers == 2 * 9);  // one before the tree and one per level, per block
}
