// What the kernel tests (tests/ops/test_<op>_kernels.cpp) share: each runs an op's kernels through their
// launchers on the CPU (the kernel harness), under both schedules, and compares with the CPU backend.
#pragma once

#include <catch2/catch.hpp>
#include <cuda_runtime.h>  // the stand-in: tests/harness/include

#include <cstring>
#include <functional>
#include <memory>
#include <vector>

#include "guarded.hpp"
#include "core/op_backend.hpp"

namespace nst::test {

// Runs `body` once with each schedule (forward and reverse thread and block order), naming it in failures.
inline void for_each_schedule(const std::function<void()>& body) {
    for (harness::Schedule s : {harness::Schedule::Forward, harness::Schedule::Reverse}) {
        harness::set_schedule(s);
        INFO((s == harness::Schedule::Forward ? "forward" : "reverse") << " schedule");
        body();
    }
    harness::set_schedule(harness::Schedule::Forward);
}

inline bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// The kernels' twin: the CPU backend with all its threads.
inline std::unique_ptr<OpBackend> twin(GramMethod gram = GramMethod::Gemm) {
    BackendOptions o;
    o.gram = gram;
    return make_cpu_op_backend(o);
}

}  // namespace nst::test
