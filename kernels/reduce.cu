#include "cuda_check.hpp"
#include "reduce.hpp"

namespace nst::kernels {

namespace {

constexpr int kThreads = 256;

// Sums term(i) over i = thread, thread + stride, ... in double, then the block's threads in a fixed tree:
// partials[blockIdx.x]. Fixed grid and fixed order: deterministic. Templated on the term so that each
// reduction reads its inputs once, in the same pass.
template <class Term>
__global__ void partial_sums_kernel(Term term, std::size_t n, double* partials) {
    __shared__ double cache[kThreads];
    double s = 0.0;
    const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
    for (std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride)
        s += term(i);
    cache[threadIdx.x] = s;
    __syncthreads();
    for (int half = kThreads / 2; half > 0; half /= 2) {
        if (threadIdx.x < half) cache[threadIdx.x] += cache[threadIdx.x + half];
        __syncthreads();
    }
    if (threadIdx.x == 0) partials[blockIdx.x] = cache[0];
}

// One block: *out = scale * Σ partials, in a fixed tree.
__global__ void finish_kernel(const double* partials, double scale, float* out) {
    __shared__ double cache[kReduceBlocks];
    cache[threadIdx.x] = partials[threadIdx.x];
    __syncthreads();
    for (int half = kReduceBlocks / 2; half > 0; half /= 2) {
        if (threadIdx.x < half) cache[threadIdx.x] += cache[threadIdx.x + half];
        __syncthreads();
    }
    if (threadIdx.x == 0) *out = static_cast<float>(scale * cache[0]);
}

template <class Term>
void reduce(Term term, std::size_t n, double scale, double* partials, float* out, cudaStream_t stream) {
    partial_sums_kernel<<<kReduceBlocks, kThreads, 0, stream>>>(term, n, partials);
    CHECK_LAUNCH();
    finish_kernel<<<1, kReduceBlocks, 0, stream>>>(partials, scale, out);
    CHECK_LAUNCH();
}

struct SquaredDifference {
    const float* a;
    const float* b;
    __device__ double operator()(std::size_t i) const {
        const double d = static_cast<double>(a[i]) - static_cast<double>(b[i]);
        return d * d;
    }
};

struct Value {
    const float* a;
    __device__ double operator()(std::size_t i) const { return static_cast<double>(a[i]); }
};

struct Product {
    const float* a;
    const float* b;
    __device__ double operator()(std::size_t i) const { return static_cast<double>(a[i]) * static_cast<double>(b[i]); }
};

// Writes d[i] − a[i] back to d while summing its square: each element is visited by exactly one thread.
struct SubtractAndSquare {
    float* d;
    const float* a;
    __device__ double operator()(std::size_t i) const {
        const double diff = static_cast<double>(d[i]) - static_cast<double>(a[i]);
        d[i] = d[i] - a[i];
        return diff * diff;
    }
};

struct TotalVariation {
    const float* x;
    int height;
    int width;
    __device__ double operator()(std::size_t i) const {
        const std::size_t plane = static_cast<std::size_t>(height) * width;
        const int h = static_cast<int>((i % plane) / width);
        const int w = static_cast<int>(i % width);
        double s = 0.0;
        if (w + 1 < width) {
            const double d = static_cast<double>(x[i + 1]) - static_cast<double>(x[i]);
            s += d * d;
        }
        if (h + 1 < height) {
            const double d = static_cast<double>(x[i + width]) - static_cast<double>(x[i]);
            s += d * d;
        }
        return s;
    }
};

}  // namespace

void squared_difference_sum(const float* a, const float* b, std::size_t n, double scale, double* partials, float* out,
                            cudaStream_t stream) {
    reduce(SquaredDifference{a, b}, n, scale, partials, out, stream);
}

void sum(const float* a, std::size_t n, double scale, double* partials, float* out, cudaStream_t stream) {
    reduce(Value{a}, n, scale, partials, out, stream);
}

void dot(const float* a, const float* b, std::size_t n, double scale, double* partials, float* out,
         cudaStream_t stream) {
    reduce(Product{a, b}, n, scale, partials, out, stream);
}

void subtract_and_square_sum(float* d, const float* a, std::size_t n, double scale, double* partials, float* out,
                             cudaStream_t stream) {
    reduce(SubtractAndSquare{d, a}, n, scale, partials, out, stream);
}

void tv_sum(const float* x, std::size_t planes, int height, int width, double scale, double* partials, float* out,
            cudaStream_t stream) {
    reduce(TotalVariation{x, height, width}, planes * height * width, scale, partials, out, stream);
}

}  // namespace nst::kernels
