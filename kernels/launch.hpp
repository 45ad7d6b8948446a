// Grid sizing for elementwise kernels (grid-stride loops). Private to the kernels.
#pragma once

#include <algorithm>
#include <cstddef>

namespace nst::kernels {

constexpr int kElementwiseThreads = 256;

// Enough blocks to cover n once, capped: grid-stride loops cover the rest.
inline unsigned elementwise_blocks(std::size_t n) {
    const std::size_t blocks = (n + kElementwiseThreads - 1) / kElementwiseThreads;
    return static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(blocks, 65535)));
}

}  // namespace nst::kernels
