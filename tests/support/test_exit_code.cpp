// nst_exit_code_probe's one case, which fails 77 assertions: the ctest harness.exit_code asks for exit
// status 1, not 77 (ctest's skip code) nor Catch2's count of failed assertions.
#include <catch2/catch.hpp>

TEST_CASE("exit code probe: 77 failing assertions", "[exit-code-probe]") {
    for (int i = 0; i < 77; ++i) CHECK(i < 0);
}
