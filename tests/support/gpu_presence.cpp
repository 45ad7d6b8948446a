#include "gpu_presence.hpp"

#include <dlfcn.h>
#include <sys/stat.h>

namespace nst::test {

bool nvidia_gpu_present(std::string* why) {
    struct stat st{};
    const bool node = stat("/dev/nvidiactl", &st) == 0 || stat("/dev/nvidia0", &st) == 0;
    if (!node) {
        *why = "no NVIDIA device node (/dev/nvidiactl, /dev/nvidia0)";
        return false;
    }
    void* driver = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (driver == nullptr) {
        *why = "an NVIDIA device node but no driver library (libcuda.so.1)";
        return false;
    }
    dlclose(driver);
    return true;
}

}  // namespace nst::test
