// vector: axpy and scale over the image, as L-BFGS runs them, with the coefficient on the host and in backend
// memory. Work: axpy reads x and y and writes y (12 bytes per element); scale reads and writes x (8 bytes).
#include "../bench.hpp"

namespace nst::bench {

void register_vector(const Target& t) {
    const std::size_t n = std::size_t(3) * t.input_px * t.input_px;
    const std::string shape = t.shape("image");
    const Device device = t.device;
    add(t.name("vector", shape, "axpy"), [=](benchmark::State& st) {
        OpBackend& b = backend(device);
        Buffer x = random_buffer(b, n), y = random_buffer(b, n);
        time_op(st, b, [&] { b.axpy(1e-3f, x.data(), y.data(), n); }, 12.0 * n, Work::Bytes);
    });
    add(t.name("vector", shape, "axpy_scalar"), [=](benchmark::State& st) {
        OpBackend& b = backend(device);
        Buffer x = random_buffer(b, n), y = random_buffer(b, n), alpha = random_buffer(b, 1);
        time_op(st, b, [&] { b.axpy_scalar(1.0f, alpha.data(), x.data(), y.data(), n); }, 12.0 * n, Work::Bytes);
    });
    add(t.name("vector", shape, "scale"), [=](benchmark::State& st) {
        OpBackend& b = backend(device);
        Buffer x = random_buffer(b, n);
        time_op(st, b, [&] { b.scale(0.999f, x.data(), n); }, 8.0 * n, Work::Bytes);
    });
}

}  // namespace nst::bench
