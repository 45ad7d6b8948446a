// CPU max pooling (any window, stride and padding; padding excluded from the maximum): one thread per
// plane. The backward sends each window's gradient to its first maximum in row-major order.
#include "cpu_backend.hpp"
#include "core/shape_checks.hpp"

namespace nst::cpu {

namespace {

// The index in the plane of output (i, j)'s first maximum (padding excluded; the window always holds a pixel
// because pad < window).
std::size_t argmax(const MaxPoolShape& s, const float* plane, int i, int j) {
    const int h0 = i * s.stride - s.pad, w0 = j * s.stride - s.pad;
    std::size_t best = 0;
    bool found = false;
    for (int h = std::max(h0, 0); h < std::min(h0 + s.window, s.height); ++h)
        for (int w = std::max(w0, 0); w < std::min(w0 + s.window, s.width); ++w) {
            const std::size_t at = std::size_t(h) * s.width + w;
            if (!found || plane[at] > plane[best]) best = at;
            found = true;
        }
    return best;
}

// Calls f(plane, output index in the plane, the input index of its window's first maximum) for every
// output, planes in parallel (one thread per plane: f may write the plane's inputs).
template <class F>
void for_each_window(const MaxPoolShape& s, const float* x, int threads, F f) {
    check_max_pool_shape(s);
    const std::int64_t planes = std::int64_t(s.batch) * s.channels;
    const std::size_t in_plane = std::size_t(s.height) * s.width;
#pragma omp parallel for num_threads(threads) schedule(static)
    for (std::int64_t p = 0; p < planes; ++p)
        for (int i = 0; i < s.out_height(); ++i)
            for (int j = 0; j < s.out_width(); ++j)
                f(p, std::size_t(i) * s.out_width() + j, argmax(s, x + p * in_plane, i, j));
}

}  // namespace

void CpuBackend::max_pool_forward(const MaxPoolShape& s, const float* x, float* y) {
    const std::size_t in_plane = std::size_t(s.height) * s.width, out_plane = std::size_t(s.out_height()) * s.out_width();
    for_each_window(s, x, threads(), [&](std::int64_t p, std::size_t o, std::size_t at) {
        y[std::size_t(p) * out_plane + o] = x[std::size_t(p) * in_plane + at];
    });
}

void CpuBackend::max_pool_backward(const MaxPoolShape& s, const float* x, const float*, const float* dy, float* dx) {
    const std::size_t in_plane = std::size_t(s.height) * s.width, out_plane = std::size_t(s.out_height()) * s.out_width();
    std::fill(dx, dx + s.in_size(), 0.0f);
    for_each_window(s, x, threads(), [&](std::int64_t p, std::size_t o, std::size_t at) {
        dx[std::size_t(p) * in_plane + at] += dy[std::size_t(p) * out_plane + o];
    });
}

}  // namespace nst::cpu
