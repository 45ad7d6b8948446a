// The CHECK_* macros (no GPU needed: the statuses are given directly, or come from cuDNN's descriptor calls,
// which work without a device).
#include <catch2/catch.hpp>

#include <string>

#include "cuda/cublas_check.hpp"
#include "cuda/cudnn_check.hpp"
#include "nst/error.hpp"

TEST_CASE("CHECK_CUDA throws nst::Error with the statement and the CUDA message", "[error][config]") {
    int line = 0;
    try {
        line = __LINE__ + 1;
        CHECK_CUDA(cudaErrorInvalidValue);
        FAIL("CHECK_CUDA did not throw");
    } catch (const nst::Error& e) {
        CHECK(e.statement() == "cudaErrorInvalidValue");
        CHECK(e.line() == line);
        CHECK(e.file().find("test_cuda_check.cpp") != std::string::npos);
        CHECK(e.message().find("cudaErrorInvalidValue") != std::string::npos);
        CHECK(e.message().find("invalid argument") != std::string::npos);
    }
    CHECK_NOTHROW([] { CHECK_CUDA(cudaSuccess); }());
}

TEST_CASE("CHECK_CUBLAS names the cuBLAS status", "[error][config]") {
    try {
        CHECK_CUBLAS(CUBLAS_STATUS_INVALID_VALUE);
        FAIL("CHECK_CUBLAS did not throw");
    } catch (const nst::Error& e) {
        CHECK(e.message().find("CUBLAS_STATUS_INVALID_VALUE") != std::string::npos);
    }
    CHECK_NOTHROW([] { CHECK_CUBLAS(CUBLAS_STATUS_SUCCESS); }());
}

TEST_CASE("CHECK_CUDNN reports a real cuDNN failure with cuDNN's detail", "[error][config]") {
    // Descriptor calls work without a GPU; a negative dimension is a genuine BAD_PARAM from cuDNN.
    cudnnTensorDescriptor_t d = nullptr;
    REQUIRE(cudnnCreateTensorDescriptor(&d) == CUDNN_STATUS_SUCCESS);
    try {
        CHECK_CUDNN(cudnnSetTensor4dDescriptor(d, CUDNN_TENSOR_NCHW, CUDNN_DATA_FLOAT, 1, -3, 4, 4));
        FAIL("CHECK_CUDNN did not throw");
    } catch (const nst::Error& e) {
        CHECK(e.statement().find("cudnnSetTensor4dDescriptor") == 0);
        CHECK(e.message().find("CUDNN_STATUS_BAD_PARAM") != std::string::npos);
    }
    cudnnDestroyTensorDescriptor(d);
}
