// Links libnst from its install tree through nst::nst (or pkg-config), needing no CUDA headers and no op
// interface: a backend made, its memory used and asked about, through the public headers alone.
#include <nst/backend.hpp>
#include <nst/device.hpp>
#include <nst/environment.hpp>
#include <nst/error.hpp>
#include <nst/version.hpp>

#include <cstdio>
#include <cstring>
#include <vector>

int main() {
    if (std::strcmp(nst::version(), NST_VERSION_STRING) != 0) {
        std::printf("header %s but library %s\n", NST_VERSION_STRING, nst::version());
        return 1;
    }
    const nst::Environment env = nst::probe_environment();
    const nst::DeviceChoice choice = nst::choose_device(nst::DeviceRequest::Auto);
    std::printf("consumer: libnst %s, cuDNN %s, device %s\n", nst::version(),
                nst::format_cudnn_version(env.cudnn_version).c_str(), nst::to_string(choice.device));
    auto backend = nst::make_backend(choice.device);
    const std::vector<float> host{1.0f, -2.5f, 3.25f};
    std::vector<float> back(host.size());
    {
        nst::Buffer buffer = backend->allocate(host.size());
        backend->upload(host.data(), buffer.data(), host.size());
        backend->download(buffer.data(), back.data(), back.size());
        if (back != host || backend->memory_in_use() < host.size() * sizeof(float)) {
            std::printf("a buffer did not round-trip on %s\n", backend->description().c_str());
            return 1;
        }
    }
    std::printf("consumer: %s, %zu bytes at the peak\n", backend->description().c_str(), backend->peak_memory());
    try {
        nst::parse_device_request("tpu");
    } catch (const nst::Error& e) {
        std::printf("consumer: caught nst::Error: %s\n", e.what());
        return 0;
    }
    return 1;
}
