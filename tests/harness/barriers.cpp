// The kernel harness's barriers and warp collectives: a thread that reaches one waits (its fiber switches
// back to the scheduler); the scheduler releases a warp collective when every lane of its mask waits at it,
// and the block barrier when every thread that has not exited waits at it. Anything else is reported.
#include <cstdint>
#include <string>
#include <vector>

#include "scheduler.hpp"

namespace nst::harness {

namespace {

constexpr int kWarp = 32;

// "0-31, 40, 64-65"
std::string ranges(const std::vector<int>& ids) {
    std::string text;
    for (std::size_t i = 0; i < ids.size();) {
        std::size_t j = i;
        while (j + 1 < ids.size() && ids[j + 1] == ids[j] + 1) ++j;
        text += (text.empty() ? "" : ", ") + std::to_string(ids[i]) + (j > i ? "-" + std::to_string(ids[j]) : "");
        i = j + 1;
    }
    return text;
}

std::string site(const Thread& t) {
    return std::string(t.file) + ":" + std::to_string(t.line);
}

std::string block_name() {
    return "block (" + std::to_string(blockIdx.x) + "," + std::to_string(blockIdx.y) + "," + std::to_string(blockIdx.z) +
           ")";
}

Thread& current_thread() {
    State& s = state();
    if (s.current == nullptr || s.body == nullptr) die("a barrier or warp collective outside a kernel");
    return s.threads[static_cast<std::size_t>(s.current_thread)];
}

// Suspends the calling thread, which waits as `th` says, until the scheduler releases it.
void wait_here(Thread& th) {
    State& s = state();
    th.status = Status::Waiting;
    Worker* self = s.current;
    switch_to_scheduler(self->fiber->context());
}

// A failure found inside a kernel: recorded, and the thread never runs again.
void fail_here(const std::string& message) {
    fail(message);
    Thread& th = current_thread();
    th.wait = Wait::Block;
    wait_here(th);
    die("a failed kernel thread was resumed");
}

// Runs waiting thread t until it waits again or exits.
void resume(int t) {
    State& s = state();
    Worker* w = s.threads[static_cast<std::size_t>(t)].worker;
    s.threads[static_cast<std::size_t>(t)].status = Status::Running;
    set_thread_index(t);
    s.current = w;
    switch_to(w->fiber->context());
    s.current = nullptr;
}

unsigned existing_lanes(int first) {
    const int n = static_cast<int>(state().threads.size());
    const int count = n - first < kWarp ? n - first : kWarp;
    return count == kWarp ? 0xffffffffu : (1u << count) - 1u;
}

// The lane whose value lane l receives; -1 when it is outside the warp's segment rules (own value).
int source_lane(const Thread& th, int l) {
    const int w = th.width, segment = l - l % w, pos = l % w;
    switch (th.kind) {
        case Shuffle::Index: return segment + ((th.operand % w) + w) % w;
        case Shuffle::Down: return pos + th.operand < w ? l + th.operand : l;
        case Shuffle::Up: return pos >= th.operand ? l - th.operand : l;
        case Shuffle::Xor: return ((l ^ th.operand) / w == l / w) ? (l ^ th.operand) : l;
    }
    return l;
}

// Every lane's result of one warp collective; `lanes`: the linear indices of the lanes taking part.
void compute_results(const std::vector<int>& lanes, int first) {
    State& s = state();
    std::uint64_t values[kWarp] = {};
    bool present[kWarp] = {};
    unsigned votes = 0;
    for (int t : lanes) {
        const Thread& th = s.threads[static_cast<std::size_t>(t)];
        values[t - first] = th.value;
        present[t - first] = true;
        if (th.value != 0) votes |= 1u << (t - first);
    }
    for (int t : lanes) {
        Thread& th = s.threads[static_cast<std::size_t>(t)];
        if (th.ballot) {
            th.value = votes;
            continue;
        }
        const int src = source_lane(th, t - first);
        if (src < 0 || src >= kWarp || !present[src])
            return fail("warp shuffle at " + site(th) + " in " + block_name() + ": lane " + std::to_string(t - first) +
                        " reads lane " + std::to_string(src) + ", which does not take part");
        th.value = values[src];
    }
}

// Releases warp w's collective if it is complete; fail() if it cannot ever be. True when released.
bool release_warp(int w) {
    State& s = state();
    const int first = w * kWarp, n = static_cast<int>(s.threads.size());
    std::vector<int> lanes;
    unsigned arrived = 0;
    for (int t = first; t < first + kWarp && t < n; ++t) {
        const Thread& th = s.threads[static_cast<std::size_t>(t)];
        if (th.status != Status::Waiting || th.wait != Wait::Warp) continue;
        lanes.push_back(t);
        arrived |= 1u << (t - first);
    }
    if (lanes.empty()) return false;
    const Thread& ref = s.threads[static_cast<std::size_t>(lanes[0])];
    for (int t : lanes) {
        const Thread& th = s.threads[static_cast<std::size_t>(t)];
        if (th.file != ref.file || th.line != ref.line || th.mask != ref.mask || th.ballot != ref.ballot) {
            fail("warp " + std::to_string(w) + " of " + block_name() + ": lane " + std::to_string(t - first) + " is at " +
                 site(th) + ", lane " + std::to_string(lanes[0] - first) + " at " + site(ref) + " (other call or mask)");
            return false;
        }
    }
    const unsigned required = ref.mask & existing_lanes(first);
    if (arrived != required) {
        fail("warp collective at " + site(ref) + " in " + block_name() + ", warp " + std::to_string(w) + ": mask " +
             std::to_string(ref.mask) + " but lanes " + std::to_string(arrived) +
             " arrived (the others exited or wait elsewhere)");
        return false;
    }
    compute_results(lanes, first);
    if (s.failed) return false;
    ++s.counts.barriers;
    for (int t : lanes) resume(t);
    return true;
}

void release_block_barrier() {
    State& s = state();
    std::vector<int> waiting, exited, elsewhere;
    const Thread* ref = nullptr;
    for (int t : s.order) {
        const Thread& th = s.threads[static_cast<std::size_t>(t)];
        if (th.status == Status::Exited) exited.push_back(t);
        if (th.status != Status::Waiting) continue;
        if (ref == nullptr) ref = &th;
        (th.file == ref->file && th.line == ref->line ? waiting : elsewhere).push_back(t);
    }
    if (!exited.empty())
        return fail("__syncthreads at " + site(*ref) + " in " + block_name() + ": threads " + ranges(waiting) +
                    " wait there, threads " + ranges(exited) + " exited without reaching it");
    if (!elsewhere.empty())
        return fail("threads of " + block_name() + " wait at different barriers: " + ranges(waiting) + " at " +
                    site(*ref) + ", " + ranges(elsewhere) + " at " + site(s.threads[static_cast<std::size_t>(elsewhere[0])]));
    ++s.counts.barriers;
    for (int t : waiting) resume(t);
}

}  // namespace

bool any_waiting() {
    for (const Thread& th : state().threads)
        if (th.status == Status::Waiting) return true;
    return false;
}

void release_next() {
    State& s = state();
    const int warps = (static_cast<int>(s.threads.size()) + kWarp - 1) / kWarp;
    bool released = false;
    for (int i = 0; i < warps && !s.failed; ++i)
        released = release_warp(s.schedule == Schedule::Forward ? i : warps - 1 - i) || released;
    if (!released && !s.failed) release_block_barrier();
}

void syncthreads(const char* file, int line) {
    Thread& th = current_thread();
    th.wait = Wait::Block;
    th.file = file;
    th.line = line;
    wait_here(th);
}

std::uint64_t shuffle_bits(unsigned mask, std::uint64_t bits, Shuffle kind, int operand, int width, const char* file,
                           int line) {
    Thread& th = current_thread();
    if (width < 1 || width > kWarp || (width & (width - 1)) != 0)
        fail_here("warp shuffle at " + std::string(file) + ":" + std::to_string(line) + ": width " +
                  std::to_string(width) + " (must be a power of 2 up to 32)");
    th.wait = Wait::Warp;
    th.file = file;
    th.line = line;
    th.mask = mask;
    th.ballot = false;
    th.kind = kind;
    th.operand = operand;
    th.width = width;
    th.value = bits;
    wait_here(th);
    return th.value;
}

unsigned ballot(unsigned mask, bool predicate, const char* file, int line) {
    Thread& th = current_thread();
    th.wait = Wait::Warp;
    th.file = file;
    th.line = line;
    th.mask = mask;
    th.ballot = true;
    th.value = predicate ? 1u : 0u;
    wait_here(th);
    return static_cast<unsigned>(th.value);
}

unsigned warp_lanes(unsigned mask) {
    const State& s = state();
    return mask & existing_lanes(s.current_thread / kWarp * kWarp);
}

}  // namespace nst::harness
