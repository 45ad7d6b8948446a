// Entry point of the GPU test executable. Without a usable CUDA device every test exits with
// kSkipReturnCode, which ctest reports as Skipped (SKIP_RETURN_CODE), never as Passed. Listing tests
// (what catch_discover_tests does at build time) works without a device.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdio>
#include <string>

#include "gpu_test.hpp"
#include "nst/device.hpp"

int main(int argc, char* argv[]) {
    Catch::Session session;
    if (const int rc = session.applyCommandLine(argc, argv); rc != 0) return rc;
    const Catch::ConfigData& config = session.configData();
    const bool listing = config.listTests || config.listTestNamesOnly || config.listTags || config.listReporters ||
                         config.showHelp;
    if (!listing) {
        std::string why;
        if (!nst::cuda_device_usable(&why)) {
            std::printf("SKIPPED: no usable CUDA device (%s)\n", why.c_str());
            return nst::test::kSkipReturnCode;
        }
    }
    return session.run();
}
