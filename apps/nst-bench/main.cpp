// nst-bench: libnst's kernels and whole iterations, timed.
// defines: per-op microbenchmarks at the shapes of a 512 px VGG-19 pass (CUDA; CPU at 128 px), and the
// end-to-end time of one Adam iteration at several sizes with peak memory. Google Benchmark drives it:
// --benchmark_filter=REGEX, --benchmark_format=json, --benchmark_min_time=SECONDS, ...

// Google Benchmark: registration, repetition, statistics, JSON output.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

// libnst: the backends and the engine being measured.
#include "nst/backend.hpp"
#include "nst/device.hpp"
#include "nst/transfer.hpp"
#include "nst/weights.hpp"

namespace {

using nst::Backend;
using nst::Buffer;

// One backend per device and precision, created on first use and kept for the whole run.
Backend& backend(nst::Device device, nst::Precision precision = nst::Precision::Fp32,
                 nst::GramMethod gram = nst::GramMethod::Gemm) {
    static std::vector<std::pair<std::string, std::unique_ptr<Backend>>> cache;
    const std::string key =
        std::to_string(int(device)) + "/" + std::to_string(int(precision)) + "/" + std::to_string(int(gram));
    for (auto& [k, b] : cache)
        if (k == key) return *b;
    nst::BackendOptions o;
    o.precision = precision;
    o.gram = gram;
    cache.emplace_back(key, nst::make_backend(device, o));
    return *cache.back().second;
}

Buffer random_buffer(Backend& b, std::size_t n) {
    Buffer buf = b.allocate(n);
    std::vector<float> host(n);
    for (std::size_t i = 0; i < n; ++i) host[i] = static_cast<float>((i * 2654435761u) % 1000) / 500.0f - 1.0f;
    b.upload(host.data(), buf.data(), n);
    return buf;
}

// Times `op` once per benchmark iteration with the backend's clock, after a warm-up run, with the caches
// flushed before each timed run. work_per_run: FLOP (compute-bound ops) or bytes (memory-bound ones).
void time_op(benchmark::State& state, Backend& b, const std::function<void()>& op, double work_per_run, bool flops) {
    op();  // warm-up: algorithm choice, lazily created descriptors
    b.synchronize();
    for (auto _ : state) {
        b.flush_cache();
        state.SetIterationTime(b.time_ms(op) / 1e3);
    }
    // Achieved rate = work / time, from the manual (backend-measured) times.
    state.counters[flops ? "TFLOP" : "GB"] =
        benchmark::Counter(work_per_run / (flops ? 1e12 : 1e9), benchmark::Counter::kIsIterationInvariantRate);
}

struct ConvLayer {
    const char* name;
    int in, out, size;  // size at a 512 px input
};
// VGG-19's convolutions through conv5_1 (the notebook's deepest loss layer), one of each shape.
const ConvLayer kConvs[] = {{"conv1_1", 3, 64, 512},    {"conv1_2", 64, 64, 512},   {"conv2_1", 64, 128, 256},
                            {"conv2_2", 128, 128, 256}, {"conv3_1", 128, 256, 128}, {"conv3_2", 256, 256, 128},
                            {"conv4_1", 256, 512, 64},  {"conv4_2", 512, 512, 64},  {"conv5_1", 512, 512, 32}};
struct StyleLayer {
    const char* name;
    int channels, size;
};
const StyleLayer kStyle[] = {
    {"relu1_1", 64, 512}, {"relu2_1", 128, 256}, {"relu3_1", 256, 128}, {"relu4_1", 512, 64}, {"relu5_1", 512, 32}};

void register_ops(nst::Device device, const char* prefix, int input_px) {
    const int scale = 512 / input_px;
    for (const ConvLayer& c : kConvs) {
        const nst::ConvShape s{1, c.in, c.out, c.size / scale, c.size / scale};
        // A 3x3 convolution: 2 FLOP per multiply-add, Cin·9 of them per output element.
        const double flop = 2.0 * c.in * 9.0 * c.out * s.height * s.width;
        const std::string tag = std::string(c.name) + "/" + std::to_string(input_px) + "px";
        benchmark::RegisterBenchmark(
            (std::string(prefix) + "/conv_fwd/" + tag).c_str(),
            [=](benchmark::State& st) {
                Backend& b = backend(device);
                Buffer x = random_buffer(b, std::size_t(c.in) * s.height * s.width),
                       w = random_buffer(b, std::size_t(c.out) * c.in * 9), bias = random_buffer(b, std::size_t(c.out)),
                       y = b.allocate(std::size_t(c.out) * s.height * s.width);
                st.SetLabel(b.describe_conv(s));
                time_op(
                    st, b, [&] { b.conv_forward(s, x.data(), w.data(), bias.data(), y.data(), true); }, flop, true);
            })
            ->UseManualTime()
            ->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark((std::string(prefix) + "/conv_bwd_data/" + tag).c_str(),
                                     [=](benchmark::State& st) {
                                         Backend& b = backend(device);
                                         Buffer dy = random_buffer(b, std::size_t(c.out) * s.height * s.width),
                                                w = random_buffer(b, std::size_t(c.out) * c.in * 9),
                                                dx = b.allocate(std::size_t(c.in) * s.height * s.width);
                                         time_op(
                                             st, b, [&] { b.conv_backward_data(s, w.data(), dy.data(), dx.data()); },
                                             flop, true);
                                     })
            ->UseManualTime()
            ->Unit(benchmark::kMillisecond);
    }
    for (const StyleLayer& l : kStyle) {
        const int side = l.size / scale;
        const std::int64_t M = std::int64_t(side) * side;
        const int C = l.channels;
        // G = F Fᵀ and dF = D F: 2 C² M FLOP each (both triangles counted, as the GEMM computes them).
        const double flop = 2.0 * C * C * static_cast<double>(M);
        const std::string tag = std::string(l.name) + "/" + std::to_string(input_px) + "px";
        for (nst::GramMethod method : {nst::GramMethod::Gemm, nst::GramMethod::Syrk}) {
            const char* m = method == nst::GramMethod::Gemm ? "gemm" : "syrk";
            benchmark::RegisterBenchmark((std::string(prefix) + "/gram_" + m + "/" + tag).c_str(),
                                         [=](benchmark::State& st) {
                                             Backend& b = backend(device, nst::Precision::Fp32, method);
                                             Buffer F = random_buffer(b, std::size_t(C) * M),
                                                    G = b.allocate(std::size_t(C) * C);
                                             time_op(
                                                 st, b, [&] { b.gram(F.data(), C, M, G.data()); }, flop, true);
                                         })
                ->UseManualTime()
                ->Unit(benchmark::kMillisecond);
        }
        benchmark::RegisterBenchmark(
            (std::string(prefix) + "/style_loss_grad/" + tag).c_str(),
            [=](benchmark::State& st) {
                Backend& b = backend(device);
                Buffer F = random_buffer(b, std::size_t(C) * M), A = random_buffer(b, std::size_t(C) * C),
                       D = b.allocate(std::size_t(C) * C), loss = b.allocate(1), dF = b.allocate(std::size_t(C) * M);
                // Gram + G−A with Σ(G−A)² + the gradient GEMM.
                time_op(
                    st, b,
                    [&] { b.style_loss(F.data(), C, M, A.data(), D.data(), 1.0f, loss.data(), dF.data(), false); },
                    2 * flop, true);
            })
            ->UseManualTime()
            ->Unit(benchmark::kMillisecond);
    }
    const std::size_t n = std::size_t(64) * (512 / scale) * (512 / scale);  // relu1_1's elements
    benchmark::RegisterBenchmark((std::string(prefix) + "/sqdiff_sum/" + std::to_string(n)).c_str(),
                                 [=](benchmark::State& st) {
                                     Backend& b = backend(device);
                                     Buffer a = random_buffer(b, n), c = random_buffer(b, n), out = b.allocate(1);
                                     // Reads two float arrays.
                                     time_op(
                                         st, b, [&] { b.squared_difference_sum(a.data(), c.data(), n, out.data()); },
                                         8.0 * n, false);
                                 })
        ->UseManualTime()
        ->Unit(benchmark::kMicrosecond);
    const std::size_t pixels = std::size_t(3) * (512 / scale) * (512 / scale);
    benchmark::RegisterBenchmark(
        (std::string(prefix) + "/adam/" + std::to_string(pixels)).c_str(),
        [=](benchmark::State& st) {
            Backend& b = backend(device);
            Buffer x = random_buffer(b, pixels), g = random_buffer(b, pixels), m = random_buffer(b, pixels),
                   v = b.allocate(pixels);
            b.fill(v.data(), pixels, 1.0f);
            int t = 1;
            // Reads x, g, m, v and writes x, m, v: 28 bytes per element.
            time_op(
                st, b, [&] { b.adam_step(x.data(), g.data(), m.data(), v.data(), pixels, t++, nst::AdamParams{}); },
                28.0 * pixels, false);
        })
        ->UseManualTime()
        ->Unit(benchmark::kMicrosecond);
}

// FLOP of one iteration of the notebook's algorithm at px x px: every convolution through conv5_1 forward
// and backward-data (2·Cin·9·Cout·H·W each way), and for each of the five style layers the Gram matrix and
// the gradient GEMM (2·C²·M each). Pooling, ReLU and the elementwise kernels are not counted. At 512 px:
// 379 GFLOP of convolution and 18 GFLOP of Gram work.
double iteration_flop(const nst::VggWeights& w, int px) {
    double flop = 0.0;
    int side = px;
    std::size_t conv = 0;
    for (const nst::Vgg19Layer& l : nst::vgg19_layers()) {
        if (l.kind == nst::LayerKind::Pool) side = (side + 1) / 2;
        if (l.kind != nst::LayerKind::Conv) continue;
        const nst::ConvWeights& c = w.convs[conv++];
        flop += 2 * (2.0 * c.in_channels * 9 * c.out_channels * side * side);
        const bool style_layer = l.name.compare(5, 2, "_1") == 0;  // reluB_1 follows convB_1
        if (style_layer) flop += 2 * (2.0 * c.out_channels * c.out_channels * double(side) * side);
        if (l.name == "conv5_1") break;
    }
    return flop;
}

// One Adam iteration of the notebook's algorithm (forward, five style layers and one content layer,
// backward to the image, update) on the built-in VGG-19 at `px` x `px`.
void register_end_to_end(nst::Device device, const char* prefix, int px, nst::Precision precision,
                         const std::string& weights_spec) {
    const std::string name = std::string(prefix) + "/iteration/" +
                             (precision == nst::Precision::Tf32 ? "tf32" : "fp32") + "/" + std::to_string(px) + "px";
    benchmark::RegisterBenchmark(name.c_str(),
                                 [=](benchmark::State& st) {
                                     Backend& b = backend(device, precision);
                                     const nst::VggWeights w = nst::load_weights(weights_spec, "relu5_1");
                                     nst::Image content{px, px, std::vector<std::uint8_t>(std::size_t(px) * px * 3)};
                                     for (std::size_t i = 0; i < content.rgb.size(); ++i)
                                         content.rgb[i] = static_cast<std::uint8_t>((i * 7919) % 251);
                                     nst::Image style = content;
                                     std::reverse(style.rgb.begin(), style.rgb.end());
                                     nst::TransferOptions o = nst::notebook_options();
                                     nst::StyleTransfer t(b, w, content, style, o);
                                     t.step();  // warm-up
                                     b.synchronize();
                                     for (auto _ : st) st.SetIterationTime(b.time_ms([&] { t.step(); }) / 1e3);
                                     st.counters["peak_MiB"] = static_cast<double>(b.peak_memory()) / (1024.0 * 1024.0);
                                     st.counters["TFLOP"] = benchmark::Counter(
                                         iteration_flop(w, px) / 1e12, benchmark::Counter::kIsIterationInvariantRate);
                                 })
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond);
}

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    std::string weights = "random:0";
    for (int i = 1; i < argc; ++i) {
        if (std::strncmp(argv[i], "--weights=", 10) == 0) {
            weights = argv[i] + 10;
        } else {
            std::fprintf(stderr,
                         "nst-bench: error: unknown option '%s' (nst-bench's own: --weights=PATH|random:SEED; "
                         "Google Benchmark's: --benchmark_*)\n",
                         argv[i]);
            return 2;
        }
    }
    std::string why;
    if (nst::cuda_device_usable(&why)) {
        register_ops(nst::Device::Cuda, "cuda", 512);
        for (nst::Precision p : {nst::Precision::Fp32, nst::Precision::Tf32})
            for (int px : {256, 512, 1024}) register_end_to_end(nst::Device::Cuda, "cuda", px, p, weights);
    } else {
        std::fprintf(stderr, "nst-bench: no usable CUDA device (%s): CPU benchmarks only\n", why.c_str());
    }
    register_ops(nst::Device::Cpu, "cpu", 128);
    for (int px : {64, 128}) register_end_to_end(nst::Device::Cpu, "cpu", px, nst::Precision::Fp32, weights);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
