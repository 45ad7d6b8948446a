// Entry point of the test executable. Test cases tagged [gpu] need a CUDA device. They are left out only
// where there is nothing to run them on: no NVIDIA GPU at all (no device node or no driver library), or a
// libnst built without CUDA. Then
//   - a run that selects only [gpu] cases (what ctest does: one process per case) exits kSkipReturnCode,
//     which ctest reports as Skipped (SKIP_RETURN_CODE), never as Passed;
//   - a run that selects both kinds runs the others and says how many GPU cases it left out.
// Where a GPU is present but libnst cannot use it (a driver too old, no context, a cuDNN too old) the [gpu]
// cases run and fail with the reason: a broken setup is a failure, not a skip. Listing tests (what
// catch_discover_tests does at build time) works without a device.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdio>
#include <string>
#include <vector>

#include "gpu_presence.hpp"
#include "gpu_skip.hpp"
#include "nst/device.hpp"
#include "nst/version.hpp"

namespace {

bool is_gpu_case(const Catch::TestCase& test) {
    for (const std::string& tag : test.getTestCaseInfo().lcaseTags)
        if (tag == "gpu") return true;
    return false;
}

// A test spec that selects exactly this name: Catch2's special characters escaped with a backslash.
std::string exact_name(const std::string& name) {
    std::string spec;
    for (char c : name) {
        if (c == '\\' || c == ',' || c == '[' || c == ']' || c == '"' || c == '*' || c == '~') spec += '\\';
        spec += c;
    }
    return spec;
}

// Catch2 returns the number of failed assertions, capped at 255: 77 of them would read as ctest's skip code
// and a count over 128 as a crash to scripts/gpu-check.sh. Any failure exits 1.
int run(Catch::Session& session) {
    return session.run() == 0 ? 0 : 1;
}

bool listing(const Catch::ConfigData& c) {
    return c.listTests || c.listTestNamesOnly || c.listTags || c.listReporters || c.showHelp;
}

}  // namespace

int main(int argc, char* argv[]) {
    // Line-buffered, so that a case killed by a timeout or a crash keeps the RESULT lines it printed.
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    Catch::Session session;
    if (const int rc = session.applyCommandLine(argc, argv); rc != 0) return rc;
    if (listing(session.configData())) return session.run();  // listings return 0
    std::string why;
    if (nst::cuda_device_usable(&why)) return run(session);
    if (nst::built_with_cuda() && nst::test::nvidia_gpu_present(&why)) {
        std::printf("note: a GPU is present but libnst cannot use it: [gpu] cases will fail\n");
        return run(session);
    }

    std::vector<std::string> others;
    std::size_t gpu_cases = 0;
    for (const Catch::TestCase& test : Catch::filterTests(Catch::getAllTestCasesSorted(session.config()),
                                                          session.config().testSpec(), session.config())) {
        if (is_gpu_case(test))
            ++gpu_cases;
        else
            others.push_back(exact_name(test.name));
    }
    if (gpu_cases == 0) return run(session);
    if (others.empty()) {
        std::printf("SKIPPED: no usable CUDA device (%s)\n", why.c_str());
        return nst::test::kSkipReturnCode;
    }
    std::printf("note: %zu [gpu] test cases not run: no usable CUDA device (%s)\n", gpu_cases, why.c_str());
    std::string spec;
    for (const std::string& name : others) spec += (spec.empty() ? "" : ",") + name;
    Catch::ConfigData data = session.configData();
    data.testsOrTags = {spec};
    session.useConfigData(data);
    return run(session);
}
