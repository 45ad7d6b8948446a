// What the code both backends compile needs: NST_HOST_DEVICE marks an element function as callable from
// host code and from kernels (__host__ __device__ under nvcc, nothing for the host compiler), and the
// rounding helpers below keep nvcc from contracting a multiply and an add into one FMA where the CPU rounds
// twice, for the results that must be bit-identical on both backends (image ops, the noise).
#pragma once

#if defined(__CUDACC__)
#define NST_HOST_DEVICE __host__ __device__
#else
#define NST_HOST_DEVICE
#endif

namespace nst::shared {

// a * b and a + b, each rounded to nearest on its own (never fused with a neighbouring operation). The
// host compiler does not contract across statements of plain x86-64 code; nvcc would, hence the intrinsics.
NST_HOST_DEVICE inline double mul_rn(double a, double b) {
#if defined(__CUDA_ARCH__)
    return __dmul_rn(a, b);
#else
    return a * b;
#endif
}

NST_HOST_DEVICE inline double add_rn(double a, double b) {
#if defined(__CUDA_ARCH__)
    return __dadd_rn(a, b);
#else
    return a + b;
#endif
}

NST_HOST_DEVICE inline float add_rn(float a, float b) {
#if defined(__CUDA_ARCH__)
    return __fadd_rn(a, b);
#else
    return a + b;
#endif
}

}  // namespace nst::shared
