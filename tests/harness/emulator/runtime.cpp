// The emulated device's CUDA runtime: the device, its memory, copies, memsets, streams, events and kernel
// launches (the kernels run on the kernel harness's fibers when their stream is synchronised). The blocking
// behaviour of each copy follows CUDA's "API synchronization behavior" page (docs/cuda-notes.md, "The
// emulated device").
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "../scheduler.hpp"
#include "device.hpp"

namespace nst::emulated {

namespace {

constexpr std::size_t kDefaultCapacity = std::size_t(4) << 30;
bool g_context = false;

std::size_t parse_bytes(const char* text, std::size_t fallback) {
    if (text == nullptr || *text == '\0') return fallback;
    char* end = nullptr;
    const double value = std::strtod(text, &end);
    if (end == text || value <= 0) return fallback;
    const char unit = *end;
    const double scale = unit == 'K' || unit == 'k'   ? 1024.0
                         : unit == 'M' || unit == 'm' ? 1048576.0
                         : unit == 'G' || unit == 'g' ? 1073741824.0
                                                      : 1.0;
    return static_cast<std::size_t>(value * scale);
}

}  // namespace

// "void nst::harness::launch(...) [Params = <float *, int>, ...]" -> "kernel(float *, int)".
std::string kernel_text(const char* pretty) {
    const std::string s = pretty;
    const std::size_t a = s.find("Params = <");
    if (a == std::string::npos) return "kernel";
    std::size_t depth = 1, b = a + 10;
    for (; b < s.size() && depth > 0; ++b) depth += s[b] == '<' ? 1 : s[b] == '>' ? -1 : 0;
    return "kernel(" + s.substr(a + 10, b - a - 11) + ")";
}

std::recursive_mutex& api_mutex() {
    static std::recursive_mutex m;
    return m;
}

std::size_t capacity_bytes() {
    static const std::size_t c = parse_bytes(std::getenv("NST_EMULATED_MEMORY"), kDefaultCapacity);
    return c;
}

std::uint64_t seed() {
    const char* text = std::getenv("NST_EMULATED_SEED");
    return text != nullptr ? std::strtoull(text, nullptr, 10) : 0;
}

void announce() {
    static bool done = false;
    if (done) return;
    done = true;
    std::fprintf(stderr, "nst: note: the CUDA device is emulated (a test build of libnst): nothing runs on a GPU\n");
}

void report(const std::string& what) {
    std::fprintf(stderr, "emulated CUDA device: %s\n", what.c_str());
}

bool context_ready() {
    return g_context;
}

void make_context() {
    if (!g_context) announce();
    g_context = true;
}

}  // namespace nst::emulated

namespace nst::harness {

// Kernel launches: the configuration checked now (CUDA reports a bad one at once), the launch queued.
void submit(cudaStream_t stream, const char* kernel, dim3 grid, dim3 block, std::size_t shared_bytes,
            std::vector<const void*> pointers, std::function<void()> thread_body) {
    namespace em = nst::emulated;
    NST_EMULATED_API;
    if (em::sticky_error() != cudaSuccess) return;
    em::make_context();
    if (const std::string bad = configuration_problem(grid, block, shared_bytes); !bad.empty()) {
        em::set_last_error(cudaErrorInvalidConfiguration);
        em::report(em::kernel_text(kernel) + ": invalid launch configuration: " + bad);
        return;
    }
    bool ok = false;
    em::Stream* s = em::resolve(stream, &ok);
    if (!ok) {
        em::set_last_error(cudaErrorInvalidResourceHandle);
        return;
    }
    const std::string name = em::kernel_text(kernel);
    std::vector<const void*> host;
    for (const void* p : pointers)
        if (p != nullptr && em::where(p) == em::Where::PageableHost) host.push_back(p);
    const double threads = 1.0 * grid.x * grid.y * grid.z * block.x * block.y * block.z;
    em::Op op{name,
              [=] {
                  if (!host.empty()) return std::string("an argument points to pageable host memory");
                  run_grid(grid, block, shared_bytes, thread_body);
                  if (state().last_error == cudaSuccess) return std::string();
                  state().last_error = cudaSuccess;
                  return state().message;
              },
              2.0 + threads / 1000.0};
    if (const std::string why = em::enqueue(s, pointers, std::move(op)); !why.empty()) {
        em::set_last_error(cudaErrorInvalidValue);
        em::report(why);
    }
}

}  // namespace nst::harness
