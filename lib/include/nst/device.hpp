// Where computation runs: the CUDA backend when a device is usable, else the CPU backend.
#pragma once

#include <string>

namespace nst {

enum class Device { Cpu, Cuda };
enum class DeviceRequest { Auto, Cuda, Cpu };

const char* to_string(Device device) noexcept;

// "auto" | "cuda" | "cpu"; anything else throws nst::Error naming the value.
DeviceRequest parse_device_request(const std::string& text);

// True when a CUDA device can run libnst's kernels: a driver, device `index` (0-based), a context on it, and a
// loaded cuDNN whose version serves the one libnst was built against. Otherwise false, with the reason in
// *why (when given).
bool cuda_device_usable(std::string* why = nullptr, int index = 0);

// The CUDA devices the driver shows (0 without a driver, or in a build without CUDA).
int cuda_device_count() noexcept;

struct DeviceChoice {
    Device device = Device::Cpu;
    std::string notice;  // one line when `auto` fell back to the CPU, else empty
};

// Auto: CUDA if usable, else the CPU with a notice. Cuda: CUDA or nst::Error saying why not. Cpu: CPU.
DeviceChoice choose_device(DeviceRequest request);

}  // namespace nst
