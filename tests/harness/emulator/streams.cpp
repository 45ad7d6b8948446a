// The emulated device's streams, events and clock (device.hpp). Work runs only at synchronisation points,
// so a program that reads a result before synchronising reads what was there before (the poison, or stale
// data), as it may on a GPU; and work queued on two streams without a synchronisation between them is
// refused when it shares a buffer.
#include <cstdio>
#include <deque>
#include <memory>
#include <set>

#include "device.hpp"

struct nst_harness_stream {};  // cudaStream_t's pointee: never dereferenced

namespace nst::emulated {

struct Stream {
    bool blocking = true;  // synchronises implicitly with the legacy default stream
    std::deque<std::pair<std::uint64_t, Op>> queue;  // (sequence number, op)
};

struct Event {
    bool timing = true;
    bool recorded = false;
    bool complete = false;
    double time_us = 0.0;
    Stream* stream = nullptr;
};

namespace {

// A GPU's queue of pending work is finite: when it is full, the next launch waits until the device has made
// room. Here a stream that reaches this many pending operations runs them (CUDA does not document its
// depth; 1024 is the order of the pending launches a driver accepts).
constexpr std::size_t kQueueDepth = 1024;

struct Streams {
    Stream legacy;
    std::set<Stream*> created;
    std::set<Event*> events;
    std::uint64_t next_sequence = 1;
    double clock_us = 0.0;
    cudaError_t sticky = cudaSuccess;
    cudaError_t last = cudaSuccess;
    const char* running = "";
    std::string running_text;
};

Streams& streams() {
    static Streams s;
    return s;
}

// The legacy stream and every blocking stream: one order (by sequence number), as the legacy stream's
// implicit synchronisation makes it.
std::vector<Stream*> blocking_group() {
    std::vector<Stream*> group{&streams().legacy};
    for (Stream* s : streams().created)
        if (s->blocking) group.push_back(s);
    return group;
}

void fail_device(const std::string& what, const std::string& why, cudaError_t error) {
    Streams& s = streams();
    if (s.sticky == cudaSuccess) {
        s.sticky = error;
        report(what + ": " + why + " (the context is now unusable, as after a device fault)");
    }
    s.legacy.queue.clear();
    for (Stream* q : s.created) q->queue.clear();
}

void run_op(Op& op) {
    Streams& s = streams();
    if (s.sticky != cudaSuccess) return;
    s.running_text = op.what;
    s.running = s.running_text.c_str();
    const std::string why = op.run();
    s.running = "";
    s.clock_us += op.cost_us;
    if (!why.empty()) fail_device(op.what, why, cudaErrorLaunchFailure);
}

void release_buffers_of(const std::vector<Stream*>& group) {
    for (Stream* s : group) forget_stream(s);  // their queued uses have run
}

// Runs the ops of `group`'s queues in sequence order, on open device memory.
cudaError_t run_group(const std::vector<Stream*>& group) {
    Streams& s = streams();
    bool any = false;
    for (Stream* q : group) any = any || !q->queue.empty();
    if (any) {
        open_memory();
        for (;;) {
            Stream* next = nullptr;
            for (Stream* q : group)
                if (!q->queue.empty() && (next == nullptr || q->queue.front().first < next->queue.front().first))
                    next = q;
            if (next == nullptr) break;
            Op op = std::move(next->queue.front().second);
            next->queue.pop_front();
            run_op(op);
        }
        std::string why;
        if (!close_memory(&why)) fail_device("device work", why, cudaErrorIllegalAddress);
    }
    release_buffers_of(group);
    return s.sticky;
}

}  // namespace

Stream* resolve(cudaStream_t stream, bool* ok) {
    *ok = true;
    if (stream == nullptr) return &streams().legacy;
    auto* s = reinterpret_cast<Stream*>(stream);
    if (streams().created.count(s) == 0) {
        *ok = false;
        return nullptr;
    }
    return s;
}

cudaStream_t handle_of(Stream* stream) {
    return stream == &streams().legacy ? nullptr : reinterpret_cast<cudaStream_t>(stream);
}

Stream* create_stream(bool blocking) {
    auto* s = new Stream;
    s->blocking = blocking;
    streams().created.insert(s);
    return s;
}

bool destroy_stream(Stream* stream) {
    if (streams().created.count(stream) == 0) return false;
    // CUDA lets queued work finish after cudaStreamDestroy returns: run it now.
    run_group({stream});
    for (Event* e : streams().events)
        if (e->stream == stream) e->stream = &streams().legacy;
    streams().created.erase(stream);
    delete stream;
    return true;
}

std::string enqueue(Stream* stream, const std::vector<const void*>& pointers, Op op) {
    std::vector<Allocation*> used;
    for (const void* p : pointers) {
        Allocation* a = containing(p);
        if (a == nullptr) continue;
        const auto* other = static_cast<const Stream*>(a->last_stream);
        const bool ordered = other == nullptr || other == stream ||
                             ((stream == &streams().legacy || stream->blocking) &&
                              (other == &streams().legacy || other->blocking));
        if (!ordered)
            return describe(*a) + " has queued work on another stream, and no synchronisation orders this " + op.what +
                   " after it";
        used.push_back(a);
    }
    for (Allocation* a : used) a->last_stream = stream;
    stream->queue.emplace_back(streams().next_sequence++, std::move(op));
    if (stream->queue.size() >= kQueueDepth) drain(stream);
    return "";
}

cudaError_t drain(Stream* stream) {
    if (stream == &streams().legacy || stream->blocking) return run_group(blocking_group());
    return run_group({stream});
}

cudaError_t drain_all() {
    std::vector<Stream*> all = blocking_group();
    for (Stream* s : streams().created)
        if (!s->blocking) all.push_back(s);
    return run_group(all);
}

cudaError_t run_now(const std::string& what, const std::function<std::string()>& work, double cost_us) {
    Streams& s = streams();
    if (s.sticky != cudaSuccess) return s.sticky;
    Op op{what, work, cost_us};
    open_memory();
    run_op(op);
    std::string why;
    if (!close_memory(&why)) fail_device(what, why, cudaErrorIllegalAddress);
    return s.sticky;
}

cudaError_t sticky_error() {
    return streams().sticky;
}

cudaError_t set_last_error(cudaError_t error) {
    if (error != cudaSuccess) streams().last = error;
    return error;
}

cudaError_t take_last_error() {
    Streams& s = streams();
    if (s.sticky != cudaSuccess) return s.sticky;
    const cudaError_t e = s.last;
    s.last = cudaSuccess;
    return e;
}

cudaError_t peek_last_error() {
    return streams().sticky != cudaSuccess ? streams().sticky : streams().last;
}

double clock_us() {
    return streams().clock_us;
}

const char* running_op() {
    return streams().running[0] != '\0' ? streams().running : "device work";
}

Event* create_event(bool timing) {
    auto* e = new Event;
    e->timing = timing;
    streams().events.insert(e);
    return e;
}

Event* find_event(cudaEvent_t event) {
    auto* e = reinterpret_cast<Event*>(event);
    return streams().events.count(e) != 0 ? e : nullptr;
}

bool destroy_event(cudaEvent_t event) {
    Event* e = find_event(event);
    if (e == nullptr) return false;
    streams().events.erase(e);
    delete e;
    return true;
}

cudaError_t record(Event* event, Stream* stream) {
    event->recorded = true;
    event->complete = false;
    event->stream = stream;
    Op op{"cudaEventRecord", [event] {
              if (streams().events.count(event) != 0) {
                  event->complete = true;
                  event->time_us = streams().clock_us;
              }
              return std::string();
          },
          0.0};
    enqueue(stream, {}, std::move(op));
    return cudaSuccess;
}

cudaError_t synchronize(Event* event) {
    if (!event->recorded) return cudaSuccess;  // CUDA: nothing to wait for
    return drain(event->stream);
}

cudaError_t elapsed(float* ms, Event* start, Event* stop) {
    if (!start->timing || !stop->timing) return cudaErrorInvalidResourceHandle;
    if (!start->recorded || !stop->recorded) return cudaErrorInvalidResourceHandle;
    if (!start->complete || !stop->complete) return cudaErrorNotReady;
    *ms = static_cast<float>((stop->time_us - start->time_us) / 1000.0);
    return cudaSuccess;
}

}  // namespace nst::emulated
