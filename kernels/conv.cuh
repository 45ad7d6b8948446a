// libnst's one convolution kernel (the rest is cuDNN: conv.cu): the bias gradient, a per-channel sum of the
// output gradient over the batch and the pixels. One block per channel, each thread summing a fixed strided
// set in double, then a fixed tree (reduce.cuh's block_sum): deterministic, no atomics.
#pragma once

#include <cstddef>

#include "launch.cuh"
#include "reduce.cuh"

namespace nst::kernels {

constexpr int kChannelThreads = 256;

// out[c] (+)= Σ_n Σ_j dy[n][c][j], one block per channel c.
NST_KERNEL void channel_sum_kernel(const float* dy, int batch, int channels, std::size_t plane, int accumulate,
                                   float* out) {
    __shared__ double cache[kChannelThreads];
    const std::size_t c = blockIdx.x, count = std::size_t(batch) * plane;
    double s = 0.0;
    for (std::size_t i = threadIdx.x; i < count; i += kChannelThreads)
        s += static_cast<double>(dy[(i / plane * channels + c) * plane + i % plane]);
    const double total = block_sum<kChannelThreads>(s, cache);
    if (threadIdx.x == 0) out[c] = static_cast<float>(accumulate ? out[c] + total : total);
}

inline void channel_sum(const float* dy, int batch, int channels, std::size_t plane, bool accumulate, float* out,
                        cudaStream_t stream) {
    launch(channel_sum_kernel, dim3(static_cast<unsigned>(channels)), dim3(kChannelThreads), 0, stream, dy, batch,
           channels, plane, accumulate ? 1 : 0, out);
}

}  // namespace nst::kernels
