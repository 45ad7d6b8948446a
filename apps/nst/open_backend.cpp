#include "open_backend.hpp"

#include <algorithm>
#include <cstdio>
#include <thread>

#include "nst/device.hpp"

namespace nst::app {

std::unique_ptr<Backend> open_backend(const std::string& device, const std::string& precision, bool autotune,
                                      int local_rank, int local_size) {
    const DeviceChoice choice = choose_device(parse_device_request(device));
    if (!choice.notice.empty()) std::fprintf(stderr, "nst: %s\n", choice.notice.c_str());
    if (choice.device == Device::Cpu && precision == "tf32")
        std::fputs("nst: --precision tf32 applies to CUDA only: the CPU backend computes in strict FP32\n", stderr);
    BackendOptions bo;
    bo.precision = precision == "tf32" ? Precision::Tf32 : Precision::Fp32;
    bo.autotune = autotune;
    if (choice.device == Device::Cuda && cuda_device_count() > 0) bo.cuda_device = local_rank % cuda_device_count();
    if (local_size > 1) bo.cpu_threads = std::max(1, static_cast<int>(std::thread::hardware_concurrency()) / local_size);
    return make_backend(choice.device, bo);
}

}  // namespace nst::app
