// MAT v7.3 files are read in a child process first (lib/src/io/isolated_read.hpp): a crash or an error there
// becomes one nst::Error naming the file, and the caller's process survives. The HDF5 crashes themselves
// come from mutated files (tests/fuzz); here the child's work is replaced by a stand-in that crashes or
// throws, on a real v7.3 file the test writes.
#include <catch2/catch.hpp>

#include <csignal>
#include <cstdlib>
#include <string>

#include "../../support/mat_builder.hpp"
#include "io/isolated_read.hpp"
#include "nst/error.hpp"
#include "nst/weights.hpp"

namespace {

std::string v73_file(const std::string& dir, nst::test::MatBuildOptions o = {}) {
    o.v73 = true;
    const std::string path = dir + "/w73.mat";
    nst::test::write_test_mat(path, nst::test::vgg_test_layers(8, 5), o);
    return path;
}

}  // namespace

TEST_CASE("a v7.3 reader that crashes in the child is an error naming the file", "[reliability]") {
    const std::string path = v73_file(nst::test::scratch_dir("isolated_crash"));
    auto crash = [] {
        std::signal(SIGABRT, SIG_DFL);  // Catch2's handler would report the child as a failed test
        std::abort();
    };
    CHECK_THROWS_WITH(nst::mat::read_in_child_first_if_v73(path, "weights file", crash),
                      "weights file '" + path + "': is corrupt: reading this MAT v7.3 (HDF5) file crashed (Aborted) "
                      "in a separate process; re-save it, or convert it to MAT v5");
}

TEST_CASE("a v7.3 reader's own error comes back from the child word for word", "[reliability]") {
    const std::string path = v73_file(nst::test::scratch_dir("isolated_error"));
    CHECK_THROWS_WITH(nst::mat::read_in_child_first_if_v73(path, "weights file",
                                                           [&] { throw nst::Error("weights file '" + path + "': x"); }),
                      "weights file '" + path + "': x");
    bool ran_here = false;
    nst::mat::read_in_child_first_if_v73(path, "weights file", [&] { ran_here = true; });
    CHECK_FALSE(ran_here);  // it ran in the child, whose memory is its own
}

TEST_CASE("v5 files are not read twice, and v7.3 files still load through the child", "[reliability]") {
    const std::string dir = nst::test::scratch_dir("isolated_v5");
    nst::test::write_test_mat(dir + "/w5.mat", nst::test::vgg_test_layers(8, 5));
    bool ran = false;
    nst::mat::read_in_child_first_if_v73(dir + "/w5.mat", "weights file", [&] { ran = true; });
    CHECK_FALSE(ran);  // not v7.3: nothing happens, the caller reads it
    const std::string path = v73_file(dir);
    CHECK(nst::load_vgg19_mat(path, "relu5_1").convs.size() == 13);
    CHECK(nst::inspect_weights_file(path).problem.empty());
}
