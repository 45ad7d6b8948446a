// Builds MatConvNet-style .mat files directly with matio, independently of libnst's writer, so that the
// loader is tested against files whose layout the test states element by element, broken ones included.
#pragma once

#include <matio.h>

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace nst::test {

struct MatLayer {
    std::string name;
    std::string type;                         // "conv", "relu", "pool"
    std::vector<std::size_t> filter_dims;     // conv: MATLAB [rows, cols, in, out] (any rank, for broken files)
    std::size_t bias_count = 0;               // conv
    matio_classes data_class = MAT_C_SINGLE;  // conv: single, double, int32, ...
    bool complex = false;
    // Value of the filter element at MATLAB linear (column-major) index j, and of bias element j.
    std::function<double(std::size_t)> filter_value;
    std::function<double(std::size_t)> bias_value;
};

// VGG-19's 37 conv/relu/pool layers with channels divided by `divisor` and values from `seed`.
std::vector<MatLayer> vgg_test_layers(int divisor, unsigned seed);

struct MatBuildOptions {
    bool new_layout = true;  // layers + meta (else layers + classes + normalization)
    bool compressed = true;
    bool v73 = false;
    bool write_layers = true;  // false: a file without `layers`
    bool write_mean = true;    // false: no averageImage
    std::vector<std::size_t> mean_dims = {1, 1, 3};
    std::vector<double> mean_rgb = {123.68, 116.779, 103.939};
};

void write_test_mat(const std::string& path, const std::vector<MatLayer>& layers, const MatBuildOptions& options = {});

// A plain top-level numeric variable (Keras-style weight files: one variable per tensor).
struct MatVariable {
    std::string name;
    std::vector<std::size_t> dims;            // MATLAB dimensions
    matio_classes data_class = MAT_C_SINGLE;
    bool complex = false;
    std::function<double(std::size_t)> value;  // element at MATLAB linear (column-major) index j
};

void write_variables_mat(const std::string& path, const std::vector<MatVariable>& variables, bool compressed = true);

// A fresh folder under the test binary's working directory.
std::string scratch_dir(const std::string& name);

}  // namespace nst::test
