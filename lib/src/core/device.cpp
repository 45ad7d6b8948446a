// Device requests and the choice between the CUDA and the CPU backend. Whether a CUDA device is usable is
// cuda/cuda_device.cpp's question (no_cuda.cpp in a CPU-only build).
#include "nst/device.hpp"

#include "nst/error.hpp"

namespace nst {

const char* to_string(Device device) noexcept {
    return device == Device::Cuda ? "cuda" : "cpu";
}

DeviceRequest parse_device_request(const std::string& text) {
    if (text == "auto") return DeviceRequest::Auto;
    if (text == "cuda") return DeviceRequest::Cuda;
    if (text == "cpu") return DeviceRequest::Cpu;
    throw Error("unknown device '" + text + "' (expected auto, cuda or cpu)");
}

DeviceChoice choose_device(DeviceRequest request) {
    if (request == DeviceRequest::Cpu) return {Device::Cpu, {}};
    std::string why;
    if (cuda_device_usable(&why)) return {Device::Cuda, {}};
    if (request == DeviceRequest::Cuda) throw Error("--device cuda: no usable CUDA device (" + why + ")");
    return {Device::Cpu, "no usable CUDA device (" + why + "); running on the CPU backend"};
}

}  // namespace nst
