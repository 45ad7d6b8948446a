// crop: cutting a tiled transfer's tile (with its halo) out of the whole image, and adding its gradient
// back (the crop's backward), at a 512 px tile with VGG-19's 80 px halo out of a 4x larger image, and a
// relu1_1 feature map's window. Work: 8 bytes per window element (a read and a write; the backward 12: it
// also reads what it adds to).
#include "../bench.hpp"

namespace nst::bench {

void register_crop(const Target& t) {
    const int tile = t.input_px + 160, whole = 4 * t.input_px;
    const struct {
        const char* shape;
        int channels;
    } cases[] = {{"image", 3}, {"relu1_1", 64}};
    const Device device = t.device;
    for (const auto& c : cases) {
        const int channels = c.channels;
        const int side = channels == 3 ? whole : tile + 32;  // a feature map: the tile's, plus a margin
        const CropWindow win{16, 16, tile, tile};
        const std::size_t n = std::size_t(channels) * side * side, m = std::size_t(channels) * tile * tile;
        const std::string shape = std::string(c.shape) + "_" + std::to_string(tile) + "of" + std::to_string(side);
        add(t.name("crop", shape, "forward"), [=](benchmark::State& st) {
            OpBackend& b = backend(device);
            Buffer x = random_buffer(b, n), y = b.allocate(m);
            time_op(
                st, b, [&] { b.crop_forward(channels, side, side, win, x.data(), y.data()); }, 8.0 * double(m),
                Work::Bytes);
        });
        add(t.name("crop", shape, "backward"), [=](benchmark::State& st) {
            OpBackend& b = backend(device);
            Buffer dy = random_buffer(b, m), dx = random_buffer(b, n);
            time_op(
                st, b, [&] { b.crop_backward(channels, side, side, win, dy.data(), dx.data()); }, 12.0 * double(m),
                Work::Bytes);
        });
    }
}

}  // namespace nst::bench
