// Links libnst from its install tree through nst::nst (or pkg-config), needing no CUDA headers.
#include <nst/device.hpp>
#include <nst/environment.hpp>
#include <nst/error.hpp>
#include <nst/version.hpp>

#include <cstdio>
#include <cstring>

int main() {
    if (std::strcmp(nst::version(), NST_VERSION_STRING) != 0) {
        std::printf("header %s but library %s\n", NST_VERSION_STRING, nst::version());
        return 1;
    }
    const nst::Environment env = nst::probe_environment();
    const nst::DeviceChoice choice = nst::choose_device(nst::DeviceRequest::Auto);
    std::printf("consumer: libnst %s, cuDNN %s, device %s\n", nst::version(),
                nst::format_cudnn_version(env.cudnn_version).c_str(), nst::to_string(choice.device));
    try {
        nst::parse_device_request("tpu");
    } catch (const nst::Error& e) {
        std::printf("consumer: caught nst::Error: %s\n", e.what());
        return 0;
    }
    return 1;
}
