// RAII owners of cuDNN descriptors and device buffers: the parts that work without a GPU.
#include <catch2/catch.hpp>

#include <utility>

#include "cuda/cuda_owners.hpp"

using namespace nst::cuda;

TEST_CASE("a tensor descriptor is created, configured and moved", "[owners][config]") {
    TensorDescriptor d = make_tensor_descriptor(1, 3, 5, 7);
    REQUIRE(d != nullptr);
    cudnnDataType_t type{};
    int n = 0, c = 0, h = 0, w = 0, ns = 0, cs = 0, hs = 0, ws = 0;
    REQUIRE(cudnnGetTensor4dDescriptor(d.get(), &type, &n, &c, &h, &w, &ns, &cs, &hs, &ws) == CUDNN_STATUS_SUCCESS);
    CHECK(type == CUDNN_DATA_FLOAT);
    CHECK((n == 1 && c == 3 && h == 5 && w == 7));
    CHECK((ns == 105 && cs == 35 && hs == 7 && ws == 1));  // packed NCHW

    TensorDescriptor moved = std::move(d);
    CHECK(d == nullptr);
    CHECK(moved != nullptr);
}

TEST_CASE("filter, convolution and pooling descriptors give the shapes libnst relies on", "[owners][config]") {
    TensorDescriptor x = make_tensor_descriptor(1, 3, 5, 7);
    FilterDescriptor w = make_filter_descriptor(8, 3, 3, 3);
    ConvolutionDescriptor conv = make_convolution_descriptor(1, 1);
    int n = 0, c = 0, h = 0, wd = 0;
    REQUIRE(cudnnGetConvolution2dForwardOutputDim(conv.get(), x.get(), w.get(), &n, &c, &h, &wd) ==
            CUDNN_STATUS_SUCCESS);
    CHECK((n == 1 && c == 8 && h == 5 && wd == 7));  // 3x3, pad 1, stride 1 keeps the size

    // cuDNN floors pooling output sizes: 5x7 with a 2x2 window gives 2x3 (why odd sizes need care).
    PoolingDescriptor pool = make_pooling_descriptor(CUDNN_POOLING_MAX, 2, 0, 2);
    REQUIRE(cudnnGetPooling2dForwardOutputDim(pool.get(), x.get(), &n, &c, &h, &wd) == CUDNN_STATUS_SUCCESS);
    CHECK((h == 2 && wd == 3));
}

TEST_CASE("a pooling descriptor with negative padding is refused", "[owners][config]") {
    CHECK_THROWS_AS(make_pooling_descriptor(CUDNN_POOLING_MAX, 2, -1, 2), nst::Error);
    CHECK_THROWS_WITH(make_pooling_descriptor(CUDNN_POOLING_MAX, 0, 0, 2), Catch::Contains("window 0"));
}

TEST_CASE("an invalid descriptor shape throws and leaks nothing", "[owners][config]") {
    CHECK_THROWS_AS(make_tensor_descriptor(1, 0, 4, 4), nst::Error);
    CHECK_THROWS_AS(make_filter_descriptor(-1, 3, 3, 3), nst::Error);
    // cuDNN's int strides: 64 x 5793 x 5793 elements is one past what fits.
    CHECK_THROWS_WITH(make_tensor_descriptor(1, 64, 5793, 5793), Catch::Contains("2^31 or more elements"));
    CHECK_NOTHROW(make_tensor_descriptor(1, 64, 5792, 5792));
}

TEST_CASE("an empty device buffer needs no device and moves", "[owners][config]") {
    DeviceBuffer<float> a;
    CHECK(a.empty());
    CHECK(a.data() == nullptr);
    DeviceBuffer<float> b(0);  // zero elements: no allocation, works without a GPU
    CHECK(b.size() == 0);
    DeviceBuffer<float> c = std::move(b);
    CHECK(c.empty());
    CHECK_THROWS_WITH(copy_to_device(nullptr, 3, c), Catch::Contains("3 host elements"));
}
