// ResNet-50 weight files (MAT, through matio): one variable per tensor under its Keras name, in Keras's
// order, so that weights move between Keras (scipy.io.savemat / loadmat) and libnst.
#include <cmath>
#include <vector>

#include "io/isolated_read.hpp"
#include "io/mat_reader.hpp"
#include "io/matio_util.hpp"
#include "nst/atomic_file.hpp"
#include "nst/error.hpp"
#include "train/resnet_parameters.hpp"

namespace nst {

namespace {

// Where element i of a tensor as libnst stores it sits in MATLAB's (Keras's) column-major order: conv kernels
// KCRS against KH x KW x Cin x Cout, the dense kernel row-major against column-major inputs x outputs,
// vectors as they are.
std::size_t keras_index(const ParamTensor& t, std::size_t i) {
    const std::vector<std::size_t>& d = t.keras_shape;
    if (t.role == TensorRole::ConvKernel) {
        const std::size_t k = d[0], in = d[2];
        return mat::filter_index(i / (in * k * k), i / (k * k) % in, i / k % k, i % k, in, k);
    }
    if (t.role == TensorRole::DenseKernel) return i / d[1] + d[0] * (i % d[1]);
    return i;
}

// The tensor's values in Keras's order, and its MATLAB dimensions (vectors 1 x N).
std::vector<float> to_keras(const ParamTensor& t, const float* src, std::vector<std::size_t>* dims) {
    const bool kernel = t.role == TensorRole::ConvKernel || t.role == TensorRole::DenseKernel;
    *dims = kernel ? t.keras_shape : std::vector<std::size_t>{1, t.size};
    std::vector<float> out(t.size);
    for (std::size_t i = 0; i < t.size; ++i) out[keras_index(t, i)] = src[i];
    return out;
}

void from_keras(const ParamTensor& t, const std::vector<float>& m, float* dst) {
    for (std::size_t i = 0; i < t.size; ++i) dst[i] = m[keras_index(t, i)];
}

std::string shape_text(const std::vector<std::size_t>& d) {
    std::string s;
    for (std::size_t x : d) s += (s.empty() ? "" : "x") + std::to_string(x);
    return s;
}

// Whether the variable's dimensions are the tensor's: kernels exactly, vectors 1 x N or N x 1.
bool shape_matches(const ParamTensor& t, const matvar_t* v) {
    std::vector<std::size_t> dims(v->dims, v->dims + v->rank);
    if (t.role == TensorRole::ConvKernel || t.role == TensorRole::DenseKernel) return dims == t.keras_shape;
    return dims.size() == 2 && ((dims[0] == 1 && dims[1] == t.size) || (dims[0] == t.size && dims[1] == 1));
}

std::string expected_shape(const ParamTensor& t) {
    if (t.role == TensorRole::ConvKernel || t.role == TensorRole::DenseKernel) return shape_text(t.keras_shape);
    return "1x" + std::to_string(t.size) + " (or " + std::to_string(t.size) + "x1)";
}

}  // namespace

void save_parameters(const std::string& path, const ParameterLayout& layout, const std::vector<float>& trainable,
                     const std::vector<float>& state) {
    mat::capture_matio_messages();
    AtomicFile out(path);
    mat::File file(Mat_CreateVer(out.temp_path().c_str(), nullptr, MAT_FT_MAT5));
    if (!file) throw Error("cannot write '" + path + "': matio could not create the file " + mat::take_matio_message());
    for (const ParamTensor& t : layout.tensors()) {
        std::vector<std::size_t> dims;
        std::vector<float> values = to_keras(t, (t.trainable() ? trainable.data() : state.data()) + t.offset, &dims);
        mat::Var v(Mat_VarCreate(t.name.c_str(), MAT_C_SINGLE, MAT_T_SINGLE, static_cast<int>(dims.size()), dims.data(),
                                 values.data(), 0));
        // Uncompressed: trained float weights do not compress, and zlib would take seconds per save.
        if (!v || Mat_VarWrite(file.get(), v.get(), MAT_COMPRESSION_NONE) != 0)
            throw Error("cannot write '" + path + "': matio failed writing '" + t.name + "' " + mat::take_matio_message());
    }
    mat::close_written(file, out.temp_path(), path);
    out.commit();
}

namespace {

void load_parameters_in_process(const std::string& path, const ParameterLayout& layout, std::vector<float>& trainable,
                                std::vector<float>& state) {
    const mat::Reader file(path, "weights file");
    // Every header first: nothing is read (or allocated by a header's size) before all of them are right.
    for (const ParamTensor& t : layout.tensors()) {
        matvar_t* v = file.top(t.name.c_str());
        if (v == nullptr)
            file.fail("has no variable '" + t.name + "' (ResNet-50 weights are named <keras layer>_<kernel|bias|gamma|"
                      "beta|moving_mean|moving_variance>)");
        file.check_floats(v, "'" + t.name + "'");
        if (!shape_matches(t, v))
            file.fail("'" + t.name + "' is " + mat::dims_text(v) + ", expected " + expected_shape(t) +
                      " (Keras's order" + (t.role == TensorRole::ConvKernel ? ": KH x KW x Cin x Cout)" : ")"));
    }
    std::vector<float> new_trainable(layout.trainable_size()), new_state(layout.state_size());
    for (const ParamTensor& t : layout.tensors()) {
        const std::vector<float> m = file.read_floats(file.top(t.name.c_str()), "'" + t.name + "'");
        for (float x : m)
            if (!std::isfinite(x)) file.fail("'" + t.name + "' holds a non-finite value");
        if (t.role == TensorRole::MovingVariance)
            for (float x : m)
                if (x < 0.0f) file.fail("'" + t.name + "' holds a negative variance");
        from_keras(t, m, (t.trainable() ? new_trainable.data() : new_state.data()) + t.offset);
    }
    trainable = std::move(new_trainable);
    state = std::move(new_state);
}

}  // namespace

void load_parameters(const std::string& path, const ParameterLayout& layout, std::vector<float>& trainable,
                     std::vector<float>& state) {
    mat::read_in_child_first_if_v73(path, "weights file", [&] {
        std::vector<float> t, s;
        load_parameters_in_process(path, layout, t, s);
    });
    load_parameters_in_process(path, layout, trainable, state);
}

}  // namespace nst
