// Fibers for the kernel harness: a stack of its own (with a guard page below it), switched to and from the
// scheduler (which runs on the caller's stack) with Boost.Context's fcontext (a few nanoseconds a switch;
// ucontext's swapcontext makes a system call each time). AddressSanitizer is told of every switch
// (__sanitizer_start/finish_switch_fiber), so it checks each fiber's stack as a stack.
#pragma once

#include <boost/context/detail/fcontext.hpp>

#include <cstddef>

namespace nst::harness {

// One side of a switch: where it will resume, and its stack for AddressSanitizer.
struct Context {
    boost::context::detail::fcontext_t resume = nullptr;
    void (*entry)() = nullptr;  // a fiber's: what it runs when first switched to
    void* fake_stack = nullptr;  // AddressSanitizer's, kept while switched away
    const void* stack_bottom = nullptr;
    std::size_t stack_size = 0;
};

class Fiber {
public:
    // A fiber that will run entry() on its own stack when first switched to; entry must never return.
    explicit Fiber(void (*entry)());
    ~Fiber();  // frees the stack: only for a fiber that is idle or will never be resumed
    Fiber(const Fiber&) = delete;
    Fiber& operator=(const Fiber&) = delete;

    Context& context() noexcept { return context_; }

private:
    void* memory_ = nullptr;
    std::size_t memory_bytes_ = 0;
    Context context_;
};

// From the scheduler into `to` (returns when `to` switches back).
void switch_to(Context& to);
// From a fiber back to the scheduler (returns when the scheduler switches to it again).
void switch_to_scheduler(Context& from);

}  // namespace nst::harness
