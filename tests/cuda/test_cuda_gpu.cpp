// The CUDA plumbing on a real GPU: device buffers, a launch and its check, handles, streams, events, and the
// backend's memory accounting.
#include <catch2/catch.hpp>

#include <cstdio>
#include <vector>

#include "cuda/cuda_owners.hpp"
#include "gpu_test.hpp"
#include "core/op_backend.hpp"

using namespace nst::cuda;

TEST_CASE("gpu: a device buffer round-trips data and moves without a copy", "[gpu][owners]") {
    std::vector<float> host(1001);
    for (std::size_t i = 0; i < host.size(); ++i) host[i] = static_cast<float>(i) * 0.5f - 7.0f;
    DeviceBuffer<float> a(host.size());
    copy_to_device(host.data(), host.size(), a);
    const float* where = a.data();
    DeviceBuffer<float> b = std::move(a);
    CHECK(a.data() == nullptr);
    CHECK(b.data() == where);
    std::vector<float> back(host.size(), -1.0f);
    copy_to_host(b, back.data(), back.size());
    CHECK(back == host);
}

TEST_CASE("gpu: a kernel launch is checked, and a bad launch becomes nst::Error", "[gpu][owners]") {
    DeviceBuffer<float> y(300);
    nst::test::fill(y.data(), 300, 2.5f, 128);
    CHECK_CUDA(cudaDeviceSynchronize());
    std::vector<float> back(300, 0.0f);
    copy_to_host(y, back.data(), back.size());
    CHECK(back == std::vector<float>(300, 2.5f));
    // 4096 threads per block exceeds every GPU's limit: the launcher's CHECK_LAUNCH must throw.
    CHECK_THROWS_WITH(nst::test::fill(y.data(), 300, 1.0f, 4096), Catch::Contains("cudaGetLastError()"));
}

TEST_CASE("gpu: cuDNN and cuBLAS handles, a stream and timing events", "[gpu][owners]") {
    CudnnHandle dnn = make_cudnn_handle();
    CublasHandle blas = make_cublas_handle();
    Stream stream = make_stream();
    Event start = make_event();
    Event stop = make_event();
    CHECK_CUDNN(cudnnSetStream(dnn.get(), stream.get()));
    CHECK_CUBLAS(cublasSetStream(blas.get(), stream.get()));
    CHECK_CUDA(cudaEventRecord(start.get(), stream.get()));
    CHECK_CUDA(cudaEventRecord(stop.get(), stream.get()));
    CHECK_CUDA(cudaEventSynchronize(stop.get()));
    float ms = -1.0f;
    CHECK_CUDA(cudaEventElapsedTime(&ms, start.get(), stop.get()));
    CHECK(ms >= 0.0f);
}

TEST_CASE("gpu: memory accounting sees allocations come and go", "[gpu][memory]") {
    auto gpu = nst::make_cuda_op_backend();
    const std::size_t before = gpu->memory_in_use();
    {
        nst::Buffer a = gpu->allocate(1 << 20);
        CHECK(gpu->memory_in_use() == before + (std::size_t(4) << 20));
    }
    CHECK(gpu->memory_in_use() == before);
    CHECK(gpu->peak_memory() >= before + (std::size_t(4) << 20));
    std::printf("%s\n", gpu->description().c_str());
}
