// Where each of ResNet-50's tensors lives: two arenas of float, one with the trainable parameters (the
// optimiser's: one Adam or SGD launch covers them all, the gradients in a second arena of the same layout)
// and one with the batch normalisations' moving statistics. Every tensor has its Keras name
// (<layer>_<kernel|bias|gamma|beta|moving_mean|moving_variance>) and Keras's shape; convolution kernels are
// stored KCRS (out, in, row, col: the backends' layout) and read or written as Keras's KH x KW x Cin x Cout.
// Private to libnst.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "nst/resnet.hpp"

namespace nst {

enum class TensorRole { ConvKernel, DenseKernel, Bias, Gamma, Beta, MovingMean, MovingVariance };

struct ParamTensor {
    std::string name;
    TensorRole role;
    std::vector<std::size_t> keras_shape;  // ConvKernel: KH, KW, Cin, Cout; DenseKernel: in, out; else: N
    std::size_t offset = 0;                // in its arena
    std::size_t size = 0;
    bool trainable() const noexcept { return role != TensorRole::MovingMean && role != TensorRole::MovingVariance; }
};

// Offsets of one convolution + batch normalisation's tensors.
struct ConvBnOffsets {
    std::size_t kernel, bias, gamma, beta;  // trainable arena
    std::size_t moving_mean, moving_variance;  // state arena
};

class ParameterLayout {
public:
    explicit ParameterLayout(const ResNetSpec& spec);
    const std::vector<ParamTensor>& tensors() const noexcept { return tensors_; }
    std::size_t trainable_size() const noexcept { return trainable_; }
    std::size_t state_size() const noexcept { return state_; }
    ConvBnOffsets conv_bn(const std::string& name) const;  // "conv1", "conv2_block1_0", ...
    std::size_t dense_kernel() const { return find("predictions_kernel").offset; }
    std::size_t dense_bias() const { return find("predictions_bias").offset; }
    const ParamTensor& find(const std::string& name) const;  // nst::Error when unknown

private:
    void add(const std::string& name, TensorRole role, std::vector<std::size_t> shape);
    std::vector<ParamTensor> tensors_;
    std::size_t trainable_ = 0, state_ = 0;
};

// Keras's initial values: Glorot-uniform kernels (limit √(6 / (fan_in + fan_out)), fans of kh·kw·cin and
// kh·kw·cout), zero biases, γ = 1, β = 0, moving mean 0, moving variance 1. Kernels from a counter-based
// generator: the same seed gives the same network on every machine.
void initialize_parameters(const ParameterLayout& layout, std::uint64_t seed, std::vector<float>& trainable,
                           std::vector<float>& state);

// Weight files (MAT, matio): one variable per tensor under its Keras name, kernels in Keras's order,
// vectors 1 x N. Saving writes a temporary file and renames it; loading checks every tensor's presence,
// class (single or double) and shape before it changes anything, and throws nst::Error naming the file and
// the tensor.
void save_parameters(const std::string& path, const ParameterLayout& layout, const std::vector<float>& trainable,
                     const std::vector<float>& state);
void load_parameters(const std::string& path, const ParameterLayout& layout, std::vector<float>& trainable,
                     std::vector<float>& state);

}  // namespace nst
