// image: RGB bytes to the network's tensor and back (host transfers included: they are part of the op), and
// the notebook's noise. Work: to_tensor and to_image move 3 bytes and 3 floats per pixel (15 bytes);
// noise_init reads and writes a float per element (8 bytes).
#include <cstdint>
#include <vector>

#include "../bench.hpp"

namespace nst::bench {

void register_image(const Target& t) {
    const int side = t.input_px;
    const std::size_t pixels = std::size_t(side) * side, n = 3 * pixels;
    const std::string shape = t.shape("image");
    const Device device = t.device;
    const float mean[3] = {123.68f, 116.779f, 103.939f};
    add(t.name("image", shape, "to_tensor"), [=](benchmark::State& st) {
        OpBackend& b = backend(device);
        std::vector<std::uint8_t> rgb(n, 128);
        Buffer x = b.allocate(n);
        time_op(st, b, [&] { b.image_to_tensor(rgb.data(), side, side, mean, x.data()); }, 15.0 * pixels, Work::Bytes);
    });
    add(t.name("image", shape, "to_image"), [=](benchmark::State& st) {
        OpBackend& b = backend(device);
        std::vector<std::uint8_t> rgb(n);
        Buffer x = random_buffer(b, n);
        time_op(st, b, [&] { b.tensor_to_image(x.data(), side, side, mean, rgb.data()); }, 15.0 * pixels, Work::Bytes);
    });
    add(t.name("image", shape, "noise_init"), [=](benchmark::State& st) {
        OpBackend& b = backend(device);
        Buffer content = random_buffer(b, n), out = b.allocate(n);
        time_op(st, b, [&] { b.noise_init(content.data(), n, 7, 0.7f, out.data()); }, 8.0 * n, Work::Bytes);
    });
}

}  // namespace nst::bench
