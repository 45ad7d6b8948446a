// nst::Error: the one exception type, for user errors and for failed library calls.
#include <catch2/catch.hpp>

#include <cstring>
#include <string>

#include "nst/error.hpp"

TEST_CASE("a user error carries only its message", "[error]") {
    const nst::Error e("weights file 'x.mat': no variable 'layers'");
    CHECK(std::string(e.what()) == "weights file 'x.mat': no variable 'layers'");
    CHECK(e.message() == "weights file 'x.mat': no variable 'layers'");
    CHECK(e.statement().empty());
    CHECK(e.file().empty());
    CHECK(e.line() == 0);
}

TEST_CASE("a failed call carries statement, file:line and the library's message", "[error]") {
    const nst::Error e("cudaMalloc(&p, n)", "buffer.cpp", 42, "cudaErrorMemoryAllocation: out of memory");
    CHECK(std::string(e.what()) == "buffer.cpp:42: cudaMalloc(&p, n) failed: cudaErrorMemoryAllocation: out of memory");
    CHECK(e.statement() == "cudaMalloc(&p, n)");
    CHECK(e.line() == 42);
}
