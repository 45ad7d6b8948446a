// Device choice: auto | cuda | cpu. Both branches are asserted, so the test means something on a GPU
// host too.
#include <catch2/catch.hpp>

#include <string>

#include "nst/device.hpp"
#include "nst/error.hpp"

TEST_CASE("device requests parse, and a bad one is named", "[device][config]") {
    CHECK(nst::parse_device_request("auto") == nst::DeviceRequest::Auto);
    CHECK(nst::parse_device_request("cuda") == nst::DeviceRequest::Cuda);
    CHECK(nst::parse_device_request("cpu") == nst::DeviceRequest::Cpu);
    CHECK_THROWS_WITH(nst::parse_device_request("gpu"),
                      "unknown device 'gpu' (expected auto, cuda or cpu)");
    CHECK_THROWS_AS(nst::parse_device_request(""), nst::Error);
}

TEST_CASE("cpu is always granted", "[device][config]") {
    const nst::DeviceChoice choice = nst::choose_device(nst::DeviceRequest::Cpu);
    CHECK(choice.device == nst::Device::Cpu);
    CHECK(choice.notice.empty());
}

TEST_CASE("auto and cuda follow whether a device is usable", "[device][config]") {
    std::string why;
    const bool usable = nst::cuda_device_usable(&why);
    const nst::DeviceChoice automatic = nst::choose_device(nst::DeviceRequest::Auto);
    if (usable) {
        CHECK(automatic.device == nst::Device::Cuda);
        CHECK(automatic.notice.empty());
        CHECK(nst::choose_device(nst::DeviceRequest::Cuda).device == nst::Device::Cuda);
    } else {
        INFO("no device: " << why);
        CHECK_FALSE(why.empty());
        CHECK(automatic.device == nst::Device::Cpu);
        CHECK(automatic.notice.find("CPU backend") != std::string::npos);
        CHECK(automatic.notice.find('\n') == std::string::npos);
        CHECK_THROWS_WITH(nst::choose_device(nst::DeviceRequest::Cuda),
                          Catch::StartsWith("--device cuda: no usable CUDA device ("));
    }
}
