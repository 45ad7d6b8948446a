// The kernel harness's scheduler: grids, blocks, barriers and warp collectives (harness.hpp).
#include <cuda_runtime.h>  // the stand-in: tests/harness/include

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "fiber.hpp"
#include "scheduler.hpp"

thread_local uint3 threadIdx{0, 0, 0};
thread_local uint3 blockIdx{0, 0, 0};
thread_local dim3 blockDim;
thread_local dim3 gridDim;

// The bounds of the section static __shared__ variables live in (absent when no kernel declares one).
extern "C" {
extern char __start_nst_harness_shared[] __attribute__((weak));
extern char __stop_nst_harness_shared[] __attribute__((weak));
}

namespace nst::harness {

State& state() {
    static State s;
    return s;
}

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "kernel harness: %s\n", what.c_str());
    std::abort();
}

void fail(const std::string& message) {
    State& s = state();
    if (s.failed) return;  // the first reason is the one reported
    s.failed = true;
    s.message = message;
}

void set_thread_index(int t) {
    State& s = state();
    const unsigned u = static_cast<unsigned>(t);
    threadIdx = uint3{u % s.block.x, (u / s.block.x) % s.block.y, u / (s.block.x * s.block.y)};
    s.current_thread = t;
}

namespace {

// Runs threads back to back: each unstarted one in schedule order until it exits or waits (then this fiber
// holds it, and the scheduler starts the next on another fiber). Idle when none is left.
void worker_main() {
    State& s = state();
    for (;;) {
        Worker* self = s.current;
        if (s.next_unstarted < s.order.size() && !s.failed) {
            const int t = s.order[s.next_unstarted++];
            self->held = t;
            s.threads[static_cast<std::size_t>(t)].worker = self;
            s.threads[static_cast<std::size_t>(t)].status = Status::Running;
            set_thread_index(t);
            ++s.counts.threads;
            (*s.body)();
            s.threads[static_cast<std::size_t>(t)].status = Status::Exited;
            continue;
        }
        self->held = -1;
        s.idle.push_back(self);
        switch_to_scheduler(self->fiber->context());
    }
}

Worker* idle_or_new_worker() {
    State& s = state();
    if (!s.idle.empty()) {
        Worker* w = s.idle.back();
        s.idle.pop_back();
        return w;
    }
    s.workers.push_back(std::make_unique<Worker>());
    s.workers.back()->fiber = std::make_unique<Fiber>(worker_main);
    ++s.counts.fibers;
    return s.workers.back().get();
}

void run_worker(Worker* w) {
    State& s = state();
    s.current = w;
    switch_to(w->fiber->context());
    s.current = nullptr;
}

// Workers holding a thread of a failed block will never be resumed: their stacks are freed.
void drop_held_workers() {
    State& s = state();
    std::vector<std::unique_ptr<Worker>> kept;
    for (auto& w : s.workers)
        if (w->held < 0) kept.push_back(std::move(w));
    s.workers = std::move(kept);
    s.idle.clear();
    for (auto& w : s.workers) s.idle.push_back(w.get());
}

void poison_shared_memory() {
    State& s = state();
    if (__start_nst_harness_shared != nullptr && __stop_nst_harness_shared != nullptr)
        std::memset(__start_nst_harness_shared, 0xFF,
                    static_cast<std::size_t>(__stop_nst_harness_shared - __start_nst_harness_shared));
    if (s.dynamic_bytes > 0) std::memset(s.dynamic_shared.get(), 0xFF, s.dynamic_bytes);
}

void run_block() {
    State& s = state();
    const int n = static_cast<int>(s.block.x * s.block.y * s.block.z);
    s.threads.assign(static_cast<std::size_t>(n), Thread{});
    s.order.resize(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) s.order[static_cast<std::size_t>(i)] = s.schedule == Schedule::Forward ? i : n - 1 - i;
    s.next_unstarted = 0;
    poison_shared_memory();
    while (s.next_unstarted < s.order.size() && !s.failed) run_worker(idle_or_new_worker());
    while (!s.failed && any_waiting()) release_next();
    ++s.counts.blocks;
}

}  // namespace

std::string configuration_problem(dim3 grid, dim3 block, std::size_t shared_bytes) {
    const unsigned long long threads = 1ull * block.x * block.y * block.z;
    auto text = [](dim3 d) {
        return std::to_string(d.x) + "x" + std::to_string(d.y) + "x" + std::to_string(d.z);
    };
    if (block.x < 1 || block.y < 1 || block.z < 1 || block.x > 1024 || block.y > 1024 || block.z > 64 || threads > 1024)
        return "block " + text(block) + " (at most 1024 threads, 1024 x 1024 x 64)";
    if (grid.x < 1 || grid.y < 1 || grid.z < 1 || grid.x > 0x7fffffffu || grid.y > 65535 || grid.z > 65535)
        return "grid " + text(grid) + " (x below 2^31, y and z at most 65535)";
    if (shared_bytes > 48 * 1024) return std::to_string(shared_bytes) + " bytes of dynamic shared memory (at most 48 KiB)";
    return "";
}

void set_schedule(Schedule schedule) {
    state().schedule = schedule;
}

Schedule schedule() {
    return state().schedule;
}

Counts counts() {
    return state().counts;
}

void reset_counts() {
    state().counts = Counts{};
}

std::string last_error_message() {
    return state().message;
}

void* dynamic_shared() {
    State& s = state();
    if (s.current == nullptr) die("dynamic shared memory asked for outside a kernel");
    return s.dynamic_shared.get();
}

void run_grid(dim3 grid, dim3 block, std::size_t shared_bytes, const std::function<void()>& thread_body) {
    State& s = state();
    if (s.body != nullptr) die("a kernel launched another kernel: the harness runs one launch at a time");
    ++s.counts.launches;
    if (const std::string bad = configuration_problem(grid, block, shared_bytes); !bad.empty()) {
        s.last_error = cudaErrorInvalidConfiguration;
        s.message = "invalid launch configuration: " + bad;
        return;
    }
    s.body = &thread_body;
    s.grid = grid;
    s.block = block;
    s.failed = false;
    s.dynamic_bytes = shared_bytes;
    s.dynamic_shared.reset(shared_bytes > 0 ? new std::max_align_t[(shared_bytes + sizeof(std::max_align_t) - 1) /
                                                                   sizeof(std::max_align_t)]
                                            : nullptr);
    gridDim = grid;
    blockDim = block;
    const unsigned long long blocks = 1ull * grid.x * grid.y * grid.z;
    for (unsigned long long i = 0; i < blocks && !s.failed; ++i) {
        const unsigned long long b = s.schedule == Schedule::Forward ? i : blocks - 1 - i;
        blockIdx = uint3{static_cast<unsigned>(b % grid.x), static_cast<unsigned>((b / grid.x) % grid.y),
                         static_cast<unsigned>(b / (1ull * grid.x * grid.y))};
        run_block();
    }
    if (s.failed) {
        drop_held_workers();
        s.last_error = cudaErrorLaunchFailure;
    }
    s.body = nullptr;
}

}  // namespace nst::harness
