// Which CUDA device the [gpu] cases run on: a real GPU, or the emulated device of the test build
// (tests/emulated.cmake), where the cases that use production sizes use reduced ones (the emulator computes
// cuDNN's results by direct loops in double, and runs kernels on fibers).
#pragma once

namespace nst::test {

bool emulated_device();

// `real` on a GPU, `emulated` on the emulated device.
template <class T>
T gpu_size(T real, T emulated) {
    return emulated_device() ? emulated : real;
}

}  // namespace nst::test
