#include "nst/device.hpp"

#include <cuda_runtime.h>
#include <cudnn.h>

#include "nst/environment.hpp"
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

bool cuda_device_usable(std::string* why) {
    auto fail = [why](std::string reason) {
        if (why != nullptr) *why = std::move(reason);
        return false;
    };
    int count = 0;
    cudaError_t status = cudaGetDeviceCount(&count);
    if (status != cudaSuccess) {
        cudaGetLastError();
        return fail(std::string("cudaGetDeviceCount: ") + cudaGetErrorString(status));
    }
    if (count == 0) return fail("no CUDA device");
    status = cudaSetDevice(0);
    if (status == cudaSuccess) status = cudaFree(nullptr);  // creates the context
    if (status != cudaSuccess) {
        cudaGetLastError();
        return fail(std::string("cannot create a context on device 0: ") + cudaGetErrorString(status));
    }
    // A cuDNN runtime 9.y serves code built against 9.z when z <= y.
    const int loaded = static_cast<int>(cudnnGetVersion());
    if (loaded / 10000 != CUDNN_MAJOR || (loaded / 100) % 100 < CUDNN_MINOR)
        return fail("the loaded cuDNN " + format_cudnn_version(loaded) + " cannot serve libnst, built against cuDNN " +
                    format_cudnn_version(CUDNN_VERSION) + " (it needs the same major version and a minor at least as new)");
    return true;
}

DeviceChoice choose_device(DeviceRequest request) {
    if (request == DeviceRequest::Cpu) return {Device::Cpu, {}};
    std::string why;
    if (cuda_device_usable(&why)) return {Device::Cuda, {}};
    if (request == DeviceRequest::Cuda) throw Error("--device cuda: no usable CUDA device (" + why + ")");
    return {Device::Cpu, "no usable CUDA device (" + why + "); running on the CPU backend"};
}

}  // namespace nst
