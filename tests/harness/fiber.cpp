#include "fiber.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#define NST_HARNESS_ASAN 1
#else
#define NST_HARNESS_ASAN 0
#endif

namespace nst::harness {

namespace {

namespace fctx = boost::context::detail;

// Kernel frames are small; AddressSanitizer's redzones make them a few times larger.
constexpr std::size_t kStackBytes = std::size_t(256) << 10;

[[noreturn]] void die(const char* what) {
    std::fprintf(stderr, "kernel harness: %s\n", what);
    std::abort();
}

Context& scheduler() {
    static Context context;
    return context;
}

void start_switch(Context& from, const Context& to) {
#if NST_HARNESS_ASAN
    __sanitizer_start_switch_fiber(&from.fake_stack, to.stack_bottom, to.stack_size);
#else
    (void)from;
    (void)to;
#endif
}

void finish_switch(Context& now) {
#if NST_HARNESS_ASAN
    __sanitizer_finish_switch_fiber(now.fake_stack, nullptr, nullptr);
#else
    (void)now;
#endif
}

// A fiber's first frame: learns where the scheduler resumes (and, for AddressSanitizer, where its stack is),
// then runs the entry, which never returns.
void trampoline(fctx::transfer_t from) {
    void (*entry)() = reinterpret_cast<void (*)()>(from.data);
    scheduler().resume = from.fctx;
#if NST_HARNESS_ASAN
    __sanitizer_finish_switch_fiber(nullptr, &scheduler().stack_bottom, &scheduler().stack_size);
#endif
    entry();
    die("a fiber's entry returned");
}

}  // namespace

Fiber::Fiber(void (*entry)()) {
    const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    memory_bytes_ = kStackBytes + page;
    memory_ = mmap(nullptr, memory_bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory_ == MAP_FAILED) die("cannot map a fiber stack");
    if (mprotect(memory_, page, PROT_NONE) != 0) die("cannot protect a fiber stack's guard page");
    context_.stack_bottom = static_cast<char*>(memory_) + page;
    context_.stack_size = kStackBytes;
    // fcontext stacks grow down from the top of the region.
    context_.resume = fctx::make_fcontext(static_cast<char*>(memory_) + memory_bytes_, kStackBytes, trampoline);
    context_.entry = entry;
}

Fiber::~Fiber() {
#if NST_HARNESS_ASAN
    // A fiber abandoned mid-kernel leaves poisoned frames: clear them before the memory can be reused.
    __asan_unpoison_memory_region(context_.stack_bottom, context_.stack_size);
#endif
    munmap(memory_, memory_bytes_);
}

void switch_to(Context& to) {
    Context& self = scheduler();
    start_switch(self, to);
    // The first switch into a fiber carries its entry to the trampoline; later ones are ignored.
    const fctx::transfer_t back = fctx::jump_fcontext(to.resume, reinterpret_cast<void*>(to.entry));
    to.resume = back.fctx;
    finish_switch(self);
}

void switch_to_scheduler(Context& from) {
    start_switch(from, scheduler());
    const fctx::transfer_t back = fctx::jump_fcontext(scheduler().resume, nullptr);
    scheduler().resume = back.fctx;
    finish_switch(from);
}

}  // namespace nst::harness
