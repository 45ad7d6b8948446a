// The kernel harness's state, shared by its scheduler (harness.cpp) and its barriers and warp collectives
// (barriers.cpp). Private to the harness.
#pragma once

#include <cuda_runtime.h>  // the stand-in: tests/harness/include

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "fiber.hpp"

namespace nst::harness {

enum class Status { Unstarted, Running, Waiting, Exited };
enum class Wait { Block, Warp };

// One thread of the running block.
struct Thread {
    Status status = Status::Unstarted;
    Wait wait = Wait::Block;
    const char* file = "";  // where it waits
    int line = 0;
    // A warp collective: its mask, kind and operand, the value it brings and, once released, its result.
    unsigned mask = 0;
    bool ballot = false;
    Shuffle kind = Shuffle::Index;
    int operand = 0;
    int width = 32;
    std::uint64_t value = 0;
    struct Worker* worker = nullptr;  // the fiber it runs on (from its start to its exit)
};

// A fiber and the thread it holds while that thread waits (-1: idle).
struct Worker {
    std::unique_ptr<Fiber> fiber;
    int held = -1;
};

struct State {
    const std::function<void()>* body = nullptr;  // the running launch's thread body
    dim3 grid, block;
    std::vector<Thread> threads;  // the running block's, by linear thread index
    std::vector<int> order;       // linear thread indices in schedule order
    std::size_t next_unstarted = 0;
    Worker* current = nullptr;  // the worker running now (nullptr: the scheduler)
    int current_thread = -1;
    std::vector<std::unique_ptr<Worker>> workers;
    std::vector<Worker*> idle;  // workers holding no thread
    std::unique_ptr<std::max_align_t[]> dynamic_shared;
    std::size_t dynamic_bytes = 0;
    Schedule schedule = Schedule::Forward;
    bool failed = false;  // the running launch
    cudaError_t last_error = cudaSuccess;
    std::string message;
    Counts counts;
};

State& state();
[[noreturn]] void die(const std::string& what);
// Records why the running launch fails (the first reason wins); the launch stops after the running block.
void fail(const std::string& message);
void set_thread_index(int t);

// barriers.cpp: whether a thread of the block waits, and one release step (a complete warp collective, else
// the block barrier; fail() when neither can be released).
bool any_waiting();
void release_next();

}  // namespace nst::harness
