// Writing VGG-19 weights as MatConvNet's imagenet-vgg-verydeep-19.mat lays them out (docs/weights.md):
// the project's test fixtures, and the built-in random network for tools that read .mat files.
#include <cstdint>
#include <string>
#include <vector>

#include "nst/atomic_file.hpp"
#include "shared/counter_rng.hpp"
#include "io/mat_reader.hpp"
#include "io/matio_util.hpp"
#include "nst/error.hpp"
#include "nst/weights.hpp"

namespace nst {

namespace {

// Builders of matio variables; each returns an owner, handed over to a parent with release().
mat::Var text(const std::string& s) {
    std::size_t dims[2] = {1, s.size()};
    // MAT_T_UTF8: matio 1.5.23 corrupts compressed files written with UINT8 char data.
    return mat::Var(Mat_VarCreate(nullptr, MAT_C_CHAR, MAT_T_UTF8, 2, dims, const_cast<char*>(s.data()), 0));
}

mat::Var doubles(std::vector<double> values, std::size_t rows, std::size_t cols) {
    std::size_t dims[2] = {rows, cols};
    return mat::Var(Mat_VarCreate(nullptr, MAT_C_DOUBLE, MAT_T_DOUBLE, 2, dims, values.data(), 0));
}

mat::Var row(std::vector<double> values) {
    const std::size_t n = values.size();
    return doubles(std::move(values), 1, n);
}

mat::Var singles(std::vector<float> values, std::vector<std::size_t> dims) {
    return mat::Var(Mat_VarCreate(nullptr, MAT_C_SINGLE, MAT_T_SINGLE, static_cast<int>(dims.size()), dims.data(),
                                  values.data(), 0));
}

mat::Var logical(bool value) {
    std::size_t dims[2] = {1, 1};
    unsigned char v = value ? 1 : 0;
    return mat::Var(Mat_VarCreate(nullptr, MAT_C_UINT8, MAT_T_UINT8, 2, dims, &v, MAT_F_LOGICAL));
}

mat::Var cell(std::vector<mat::Var> items, std::size_t rows, std::size_t cols, const char* name = nullptr) {
    std::size_t dims[2] = {rows, cols};
    mat::Var c(Mat_VarCreate(name, MAT_C_CELL, MAT_T_CELL, 2, dims, nullptr, 0));
    for (std::size_t i = 0; i < items.size(); ++i) Mat_VarSetCell(c.get(), static_cast<int>(i), items[i].release());
    return c;
}

mat::Var empty_cell() {
    return cell({}, 0, 0);
}

template <class... Vars>
std::vector<mat::Var> vars(Vars... v) {
    std::vector<mat::Var> out;
    (out.push_back(std::move(v)), ...);
    return out;
}

// A 1x1 struct with the given fields, in order.
mat::Var structure(std::vector<const char*> names, std::vector<mat::Var> values, const char* name = nullptr) {
    const std::size_t n = names.size();
    names.push_back(nullptr);
    std::size_t dims[2] = {1, 1};
    mat::Var s(Mat_VarCreateStruct2(name, 2, dims, names.data()));
    for (std::size_t i = 0; i < n; ++i) Mat_VarSetStructFieldByIndex(s.get(), i, 0, values[i].release());
    return s;
}

// Filters [out][in][row][col] (KCRS) -> MATLAB [row, col, in, out], column-major.
mat::Var matlab_filters(const std::vector<float>& kcrs, std::size_t in, std::size_t out, std::size_t k) {
    std::vector<float> m(kcrs.size());
    for (std::size_t o = 0; o < out; ++o)
        for (std::size_t i = 0; i < in; ++i)
            for (std::size_t r = 0; r < k; ++r)
                for (std::size_t s = 0; s < k; ++s)
                    m[mat::filter_index(o, i, r, s, in, k)] = kcrs[((o * in + i) * k + r) * k + s];
    return singles(std::move(m), {k, k, in, out});
}

struct LayerWriter {
    MatLayout layout;

    mat::Var conv(const std::string& name, mat::Var filters, std::vector<float> bias, std::size_t k, std::size_t in,
                  std::size_t out, int pad) const {
        const double p = pad;
        mat::Var weights = cell({}, 1, 2);
        Mat_VarSetCell(weights.get(), 0, filters.release());
        Mat_VarSetCell(weights.get(), 1, singles(std::move(bias), {out, 1}).release());
        if (layout == MatLayout::Old)
            return structure({"weights", "pad", "type", "name", "stride"},
                             vars(std::move(weights), row({p, p, p, p}), text("conv"), text(name), row({1, 1})));
        return structure(
            {"name", "type", "weights", "size", "pad", "stride", "precious", "dilate", "opts"},
            vars(text(name), text("conv"), std::move(weights), row({double(k), double(k), double(in), double(out)}),
                 row({p, p, p, p}), row({1, 1}), logical(false), row({1}), cell({}, 1, 0)));
    }

    mat::Var relu(const std::string& name) const {
        if (layout == MatLayout::Old)
            return structure({"weights", "type", "name"}, vars(empty_cell(), text("relu"), text(name)));
        return structure({"name", "type", "leak", "weights", "precious"},
                         vars(text(name), text("relu"), row({0}), empty_cell(), logical(false)));
    }

    mat::Var pool(const std::string& name) const {
        if (layout == MatLayout::Old)
            return structure(
                {"weights", "name", "stride", "pad", "type", "method", "pool"},
                vars(empty_cell(), text(name), row({2, 2}), row({0, 0, 0, 0}), text("pool"), text("max"), row({2, 2})));
        return structure({"name", "type", "method", "pool", "stride", "pad", "weights", "precious", "opts"},
                         vars(text(name), text("pool"), text("max"), row({2, 2}), row({2, 2}), row({0, 0, 0, 0}),
                              empty_cell(), logical(false), cell({}, 1, 0)));
    }

    mat::Var softmax(const std::string& name) const {
        if (layout == MatLayout::Old)
            return structure({"weights", "type", "name"}, vars(empty_cell(), text("softmax"), text(name)));
        return structure({"name", "type", "weights", "precious"},
                         vars(text(name), text("softmax"), empty_cell(), logical(false)));
    }
};

// Small seeded values for the fully connected layers, which style transfer never reads.
std::vector<float> fc_values(std::size_t n, std::uint64_t seed, std::uint64_t stream) {
    std::vector<float> v(n);
    for (std::size_t i = 0; i < n; ++i)
        v[i] = static_cast<float>(0.02 * (rng::uniform24(rng::hash(seed, stream, i)) - 0.5));
    return v;
}

mat::Var classes(std::size_t count, const char* name = nullptr) {
    std::vector<mat::Var> names, descriptions;
    for (std::size_t i = 0; i < count; ++i) {
        names.push_back(text("n" + std::to_string(1000000 + i)));
        descriptions.push_back(text("class " + std::to_string(i)));
    }
    return structure({"name", "description"},
                     vars(cell(std::move(names), 1, count), cell(std::move(descriptions), 1, count)), name);
}

}  // namespace

namespace {

void check_writable(const std::string& path, const VggWeights& weights, const MatWriteOptions& options) {
    std::size_t conv_count = 0;
    for (const Vgg19Layer& spec : vgg19_layers()) conv_count += spec.kind == LayerKind::Conv;
    if (weights.convs.size() != conv_count)
        throw Error("cannot write '" + path + "': a VGG-19 file needs all " + std::to_string(conv_count) +
                    " convolutions, these weights have " + std::to_string(weights.convs.size()));
    if (options.fc_channel_divisor < 1 || 4096 % options.fc_channel_divisor != 0)
        throw Error("cannot write '" + path + "': fc channel divisor " + std::to_string(options.fc_channel_divisor) +
                    " must divide 4096");
}

// conv1_1 ... pool5 (0..36), then fc6 relu6 fc7 relu7 fc8 prob (37..42).
std::vector<mat::Var> layer_vars(const std::string& path, const VggWeights& weights, const MatWriteOptions& options,
                                 std::size_t class_count) {
    const LayerWriter w{options.layout};
    std::vector<mat::Var> layers;
    std::size_t conv_index = 0;
    for (const Vgg19Layer& spec : vgg19_layers()) {
        if (spec.kind == LayerKind::Conv) {
            const ConvWeights& c = weights.convs[conv_index++];
            if (c.name != spec.name)
                throw Error("cannot write '" + path + "': convolution " + std::to_string(conv_index) + " is named " +
                            c.name + ", expected " + spec.name);
            const auto in = static_cast<std::size_t>(c.in_channels), out = static_cast<std::size_t>(c.out_channels);
            layers.push_back(w.conv(c.name, matlab_filters(c.filters, in, out, 3), c.bias, 3, in, out, 1));
        } else if (spec.kind == LayerKind::Relu) {
            layers.push_back(w.relu(spec.name));
        } else {
            layers.push_back(w.pool(spec.name));
        }
    }
    const auto c5 = static_cast<std::size_t>(weights.convs.back().out_channels);
    const std::size_t hidden = 4096 / static_cast<std::size_t>(options.fc_channel_divisor);
    const std::uint64_t seed = options.fc_seed;
    layers.push_back(w.conv("fc6", singles(fc_values(49 * c5 * hidden, seed, 6), {7, 7, c5, hidden}),
                            fc_values(hidden, seed, 60), 7, c5, hidden, 0));
    layers.push_back(w.relu("relu6"));
    layers.push_back(w.conv("fc7", singles(fc_values(hidden * hidden, seed, 7), {1, 1, hidden, hidden}),
                            fc_values(hidden, seed, 70), 1, hidden, hidden, 0));
    layers.push_back(w.relu("relu7"));
    layers.push_back(w.conv("fc8", singles(fc_values(hidden * class_count, seed, 8), {1, 1, hidden, class_count}),
                            fc_values(class_count, seed, 80), 1, hidden, class_count, 0));
    layers.push_back(w.softmax("prob"));
    return layers;
}

// The variables beside `layers`: `meta` (new layout) or `classes` and `normalization` (old layout).
void add_metadata(std::vector<mat::Var>& top, const VggWeights& weights, const MatWriteOptions& options,
                  std::size_t class_count) {
    const std::vector<float> mean(weights.mean_rgb.begin(), weights.mean_rgb.end());
    if (options.layout == MatLayout::New) {
        mat::Var normalization =
            structure({"imageSize", "averageImage", "keepAspect", "border", "cropSize", "interpolation"},
                      vars(row({224, 224, 3}), singles(mean, {1, 1, 3}), logical(true), row({32, 32}), row({0.875}),
                           text("bilinear")));
        mat::Var inputs = structure({"name", "size"}, vars(text("input"), row({224, 224, 3, 10})));
        top.push_back(structure({"inputs", "classes", "normalization"},
                                vars(std::move(inputs), classes(class_count), std::move(normalization)), "meta"));
        return;
    }
    top.push_back(classes(class_count, "classes"));
    // beta16 stored a 224x224x3 average image; the loader averages it. A +-0.5 checkerboard around the mean
    // pixel averages back to it exactly, and shows that the loader really averages.
    std::vector<float> image(224 * 224 * 3);
    for (std::size_t c = 0; c < 3; ++c)
        for (std::size_t i = 0; i < 224 * 224; ++i) image[c * 224 * 224 + i] = mean[c] + ((i % 2) ? 0.5f : -0.5f);
    top.push_back(structure({"averageImage", "keepAspect", "border", "imageSize", "interpolation"},
                            vars(singles(std::move(image), {224, 224, 3}), logical(false), row({32, 32}),
                                 row({224, 224, 3}), text("bilinear")),
                            "normalization"));
}

// Writes the variables to a temporary file in the chosen container, then renames it to `path`.
void write_file(const std::string& path, const std::vector<mat::Var>& top, MatContainer container) {
    mat::capture_matio_messages();
    AtomicFile out(path);
    const bool v73 = container == MatContainer::V73;
    mat::File file(Mat_CreateVer(out.temp_path().c_str(), nullptr, v73 ? MAT_FT_MAT73 : MAT_FT_MAT5));
    if (!file) throw Error("cannot write '" + path + "': matio could not create the file " + mat::take_matio_message());
    const matio_compression compression =
        container == MatContainer::V5Uncompressed ? MAT_COMPRESSION_NONE : MAT_COMPRESSION_ZLIB;
    for (const mat::Var& v : top)
        if (Mat_VarWrite(file.get(), v.get(), compression) != 0)
            throw Error("cannot write '" + path + "': matio failed writing '" + v->name + "' " +
                        mat::take_matio_message());
    mat::close_written(file, out.temp_path(), path);
    out.commit();
}

}  // namespace

void write_vgg19_mat(const std::string& path, const VggWeights& weights, const MatWriteOptions& options) {
    check_writable(path, weights, options);
    const std::size_t class_count =
        std::max<std::size_t>(1, 1000 / static_cast<std::size_t>(options.fc_channel_divisor));
    std::vector<mat::Var> layers = layer_vars(path, weights, options, class_count);
    const std::size_t layer_count = layers.size();
    std::vector<mat::Var> top;
    top.push_back(cell(std::move(layers), 1, layer_count, "layers"));
    add_metadata(top, weights, options, class_count);
    write_file(path, top, options.container);
}

}  // namespace nst
