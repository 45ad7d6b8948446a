#include "open_backend.hpp"

#include <cstdio>

#include "nst/device.hpp"

namespace nst::app {

std::unique_ptr<Backend> open_backend(const std::string& device, const std::string& precision, bool autotune) {
    const DeviceChoice choice = choose_device(parse_device_request(device));
    if (!choice.notice.empty()) std::fprintf(stderr, "nst: %s\n", choice.notice.c_str());
    if (choice.device == Device::Cpu && precision == "tf32")
        std::fputs("nst: --precision tf32 applies to CUDA only: the CPU backend computes in strict FP32\n", stderr);
    BackendOptions bo;
    bo.precision = precision == "tf32" ? Precision::Tf32 : Precision::Fp32;
    bo.autotune = autotune;
    return make_backend(choice.device, bo);
}

}  // namespace nst::app
