// What every nst-bench benchmark shares: the backends, seeded inputs, the timed loop, and VGG-19's shapes.
// Benchmarks are named <backend>/<op>/<shape>[/<variant>], the op being its file stem (kernels/<op>.cu,
// lib/src/cpu/<op>.cpp, ops/<op>.cpp here), so --benchmark_filter=/gram/ finds everything about Gram.
#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/op_backend.hpp"  // libnst's private op interface
#include "nst/device.hpp"
#include "nst/image.hpp"

namespace nst::bench {

// One backend per device, precision, Gram method and algorithm choice (cuDNN's heuristics, or timed with
// autotune), created on first use and kept for the whole run.
OpBackend& backend(Device device, Precision precision = Precision::Fp32, GramMethod gram = GramMethod::Gemm,
                 bool autotune = false);

// n floats of deterministic values in [-1, 1) on the backend.
Buffer random_buffer(OpBackend& b, std::size_t n);

// What a benchmark's work is counted in: FLOP (compute-bound ops) or bytes moved (memory-bound ones).
enum class Work { Flop, Bytes };

// Times `op` once per benchmark iteration with the backend's clock (CUDA events or the wall clock), after a
// warm-up run, with the caches flushed before each timed run; reports the achieved TFLOP/s or GB/s as
// work_per_run / time.
void time_op(benchmark::State& state, OpBackend& b, const std::function<void()>& op, double work_per_run, Work work);

// Registers a manually timed benchmark in milliseconds.
void add(const std::string& name, std::function<void(benchmark::State&)> fn);

// Where a set of op benchmarks runs: the device, the name prefix ("cuda", "cpu") and the input size whose
// VGG-19 layer shapes they use (512 px on CUDA, 128 px on the CPU).
struct Target {
    Device device;
    std::string prefix;
    int input_px;
    int train_batch;  // the batch of ResNet-50's shapes (64 on CUDA, the notebook's; 16 on the CPU)
    // "<prefix>/<op>/<shape>" and, when given, "/<variant>".
    std::string name(const char* op, const std::string& shape, const std::string& variant = "") const;
    // A layer's shape at this input size: "conv1_2_128px".
    std::string shape(const char* layer) const;
};

// VGG-19's convolutions through conv5_1 (the notebook's deepest loss layer), one of each shape, with their
// output side at a 512 px input.
struct ConvLayer {
    const char* name;
    int in, out, side512;
};
extern const ConvLayer kConvLayers[9];

// The notebook's style layers (their channels and side at 512 px) and content layer.
struct FeatureLayer {
    const char* name;
    int channels, side512;
};
extern const FeatureLayer kStyleLayers[5];
extern const FeatureLayer kContentLayer;

// A layer's side at `input_px` (sides halve per pooling, as 512 does).
inline int side_at(int side512, int input_px) {
    return side512 * input_px / 512;
}

// ResNet-50's convolutions at a batch, one per distinct shape, named after the first layer that has it
// ("conv1", "conv2_block1_1", ...): the shapes training runs (32x32 inputs, nst/resnet.hpp).
struct ResNetConv {
    std::string layer;
    ConvShape shape;
};
std::vector<ResNetConv> resnet_convs(int batch);
// "<layer>_b<batch>", the shape name of ResNet-50's benchmarks.
std::string resnet_shape(const std::string& layer, int batch);

// Each op's benchmarks (ops/<op>.cpp).
#define NST_BENCH_OP(op) void register_##op(const Target& t);
#include "bench_ops.inc"  // generated from cmake/NstOps.cmake: one line per op with a benchmark
#undef NST_BENCH_OP
// One training step of ResNet-50 on CIFAR-sized images (train_step.cpp): <prefix>/train_step/<precision>/b<batch>,
// with images/s and the backend's peak memory.
void register_train_step(Device device, const std::string& prefix, int batch, Precision precision);
// Whole Adam iterations of the notebook's algorithm (iteration.cpp): <prefix>/iteration/<precision>/<px>px,
// or <precision>-autotune when the convolutions' algorithms are timed (BackendOptions::autotune).
void register_iteration(Device device, const std::string& prefix, int px, Precision precision,
                        const std::string& weights_spec, bool autotune = false);
// Whole Adam iterations at print sizes, whole or in tiles (tiled_iteration.cpp):
// <prefix>/iteration_tiled/<precision>[-div<D>]/<px>px/{auto,tile<N>}[-recompute], with ms per iteration, the
// peak memory of a backend made for the benchmark, and the plan (tiled, tile, tiles, overhead, kept). tile 0:
// the plan libnst chooses (whole when it fits the device); keep false (-recompute): a budget with no room
// to keep any tile's activations between the passes.
void register_tiled_iteration(Device device, const std::string& prefix, int px, int tile, int channel_divisor,
                              Precision precision, bool keep = true);
// nst batch's throughput (batch_iteration.cpp): <prefix>/batch/fp32[-div<D>]/<px>px/B<b>: B images optimised
// together against style targets made once; ms per iteration, images/s at 500 iterations an image, the
// targets' one-off cost and the peak memory.
void register_batch_iteration(Device device, const std::string& prefix, int px, int batch, int channel_divisor);
// A px x px test picture (deterministic pixels).
Image test_picture(int px);

}  // namespace nst::bench
