// nst-bench: libnst's ops and whole iterations, timed.
// defines: per-op benchmarks at the shapes of a VGG-19 pass (CUDA at 512 px, CPU at 128 px), named
// <backend>/<op>/<shape>[/<variant>] after the op's file stem (ops/<op>.cpp), and the end-to-end time of one
// Adam iteration at several sizes with peak memory (<backend>/iteration/<precision>/<px>px); ResNet-50's
// training ops at its shapes (batch 64 on CUDA, 16 on the CPU) and its whole training step at batch 64
// (<backend>/train_step/<precision>/b64/{compute,with_io}, images/s and peak memory); whole iterations at
// print sizes, whole and tiled (<backend>/iteration_tiled/...: CPU 2048 and 4096 px on the 1/8-channel
// network, CUDA 4096, 8192 and 16384 px); nst batch's throughput, B = 1, 4, 16 images optimised together at
// 256 and 512 px (<backend>/batch/...: images/s; CPU on the 1/8-channel network). Google
// Benchmark drives it: --benchmark_filter=REGEX, --benchmark_format=json, --benchmark_min_time=SECONDS, ...

// Google Benchmark: registration, repetition, statistics, JSON output.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <string>

// The shared timing and shapes, and each op's registration.
#include "bench.hpp"

namespace {

// Every op's benchmarks on one target.
void register_ops(const nst::bench::Target& t) {
    using namespace nst::bench;
    for (auto add_op : {
#define NST_BENCH_OP(op) register_##op,
#include "bench_ops.inc"  // generated from cmake/NstOps.cmake, in its order
#undef NST_BENCH_OP
         })
        add_op(t);
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
        register_ops({nst::Device::Cuda, "cuda", 512, 64});
        for (nst::Precision p : {nst::Precision::Fp32, nst::Precision::Tf32}) {
            nst::bench::register_train_step(nst::Device::Cuda, "cuda", 64, p);
            for (int px : {256, 512, 1024}) nst::bench::register_iteration(nst::Device::Cuda, "cuda", px, p, weights);
            nst::bench::register_iteration(nst::Device::Cuda, "cuda", 512, p, weights, true);  // timed algorithms
        }
        // Print sizes: 4096 px whole and in 2048 px tiles; 8192 and 16384 px as libnst plans them (tiles).
        for (auto [px, tile] : {std::pair{4096, 0}, std::pair{4096, 2048}, std::pair{8192, 0}, std::pair{16384, 0}})
            nst::bench::register_tiled_iteration(nst::Device::Cuda, "cuda", px, tile, 1, nst::Precision::Fp32);
        for (int px : {256, 512})
            for (int batch : {1, 4, 16}) nst::bench::register_batch_iteration(nst::Device::Cuda, "cuda", px, batch, 1);
    } else {
        std::fprintf(stderr, "nst-bench: no usable CUDA device (%s): CPU benchmarks only\n", why.c_str());
    }
    register_ops({nst::Device::Cpu, "cpu", 128, 16});
    nst::bench::register_train_step(nst::Device::Cpu, "cpu", 64, nst::Precision::Fp32);
    for (int px : {64, 128}) nst::bench::register_iteration(nst::Device::Cpu, "cpu", px, nst::Precision::Fp32, weights);
    // 2048 and 4096 px whole and in 512 px tiles, on the 1/8-channel network (the full one takes minutes per
    // iteration on a CPU).
    for (int px : {2048, 4096}) {
        for (int tile : {0, 512})
            nst::bench::register_tiled_iteration(nst::Device::Cpu, "cpu", px, tile, 8, nst::Precision::Fp32);
        nst::bench::register_tiled_iteration(nst::Device::Cpu, "cpu", px, 512, 8, nst::Precision::Fp32, false);
    }
    // nst batch: B = 1, 4, 16 at 256 and 512 px on the 1/8-channel network.
    for (int px : {256, 512})
        for (int batch : {1, 4, 16}) nst::bench::register_batch_iteration(nst::Device::Cpu, "cpu", px, batch, 8);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
