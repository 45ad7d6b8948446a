#include "mat_builder.hpp"

#include <complex>
#include <cstring>
#include <cstdint>
#include <filesystem>
#include <stdexcept>

namespace nst::test {

namespace {

matvar_t* text(const std::string& s) {
    std::size_t dims[2] = {1, s.size()};
    return Mat_VarCreate(nullptr, MAT_C_CHAR, MAT_T_UTF8, 2, dims, const_cast<char*>(s.data()), 0);
}

matio_types type_of(matio_classes c) {
    switch (c) {
        case MAT_C_SINGLE:
            return MAT_T_SINGLE;
        case MAT_C_DOUBLE:
            return MAT_T_DOUBLE;
        case MAT_C_INT32:
            return MAT_T_INT32;
        case MAT_C_UINT8:
            return MAT_T_UINT8;
        default:
            throw std::runtime_error("mat_builder: unsupported class");
    }
}

// A numeric array of class c with element j = value(j) (imaginary part -value(j) when complex).
matvar_t* numeric(matio_classes c, std::vector<std::size_t> dims, const std::function<double(std::size_t)>& value,
                  bool complex) {
    std::size_t n = 1;
    for (std::size_t d : dims) n *= d;
    const std::size_t size = Mat_SizeOfClass(c);
    std::vector<unsigned char> re(n * size), im(n * size);
    for (std::size_t j = 0; j < n; ++j) {
        const double v = value ? value(j) : 0.0;
        auto put = [&](std::vector<unsigned char>& buf, double x) {
            if (c == MAT_C_SINGLE) reinterpret_cast<float*>(buf.data())[j] = static_cast<float>(x);
            if (c == MAT_C_DOUBLE) reinterpret_cast<double*>(buf.data())[j] = x;
            if (c == MAT_C_INT32) reinterpret_cast<std::int32_t*>(buf.data())[j] = static_cast<std::int32_t>(x * 1000);
            if (c == MAT_C_UINT8) buf[j] = static_cast<unsigned char>(x);
        };
        put(re, v);
        put(im, -v);
    }
    if (complex) {
        mat_complex_split_t split{re.data(), im.data()};
        return Mat_VarCreate(nullptr, c, type_of(c), static_cast<int>(dims.size()), dims.data(), &split, MAT_F_COMPLEX);
    }
    return Mat_VarCreate(nullptr, c, type_of(c), static_cast<int>(dims.size()), dims.data(), re.data(), 0);
}

matvar_t* row(std::vector<double> v) {
    std::size_t dims[2] = {1, v.size()};
    return Mat_VarCreate(nullptr, MAT_C_DOUBLE, MAT_T_DOUBLE, 2, dims, v.data(), 0);
}

matvar_t* structure(const std::vector<const char*>& names, const std::vector<matvar_t*>& values,
                    const char* name = nullptr) {
    std::vector<const char*> n = names;
    n.push_back(nullptr);
    std::size_t dims[2] = {1, 1};
    matvar_t* s = Mat_VarCreateStruct2(name, 2, dims, n.data());
    for (std::size_t i = 0; i < values.size(); ++i) Mat_VarSetStructFieldByIndex(s, i, 0, values[i]);
    return s;
}

matvar_t* layer_struct(const MatLayer& l, bool new_layout) {
    std::size_t empty_dims[2] = {0, 0};
    matvar_t* weights = Mat_VarCreate(nullptr, MAT_C_CELL, MAT_T_CELL, 2, empty_dims, nullptr, 0);
    if (l.type == "conv") {
        Mat_VarFree(weights);
        std::size_t two[2] = {1, 2};
        weights = Mat_VarCreate(nullptr, MAT_C_CELL, MAT_T_CELL, 2, two, nullptr, 0);
        Mat_VarSetCell(weights, 0, numeric(l.data_class, l.filter_dims, l.filter_value, l.complex));
        Mat_VarSetCell(weights, 1, numeric(l.data_class, {l.bias_count, 1}, l.bias_value, l.complex));
    }
    if (new_layout) return structure({"name", "type", "weights"}, {text(l.name), text(l.type), weights});
    return structure({"weights", "type", "name"}, {weights, text(l.type), text(l.name)});
}

}  // namespace

std::vector<MatLayer> vgg_test_layers(int divisor, unsigned seed) {
    const int blocks[5] = {2, 2, 4, 4, 4};
    const int channels[5] = {64, 128, 256, 512, 512};
    std::vector<MatLayer> layers;
    std::size_t in = 3;
    unsigned conv = 0;
    for (int b = 0; b < 5; ++b) {
        for (int k = 1; k <= blocks[b]; ++k) {
            const std::string suffix = std::to_string(b + 1) + "_" + std::to_string(k);
            const std::size_t out = static_cast<std::size_t>(channels[b] / divisor);
            MatLayer c;
            c.name = "conv" + suffix;
            c.type = "conv";
            c.filter_dims = {3, 3, in, out};
            c.bias_count = out;
            const unsigned s = seed * 977u + conv++;
            // Distinct, exactly representable values: j / 4096 plus a per-layer offset.
            c.filter_value = [s](std::size_t j) { return static_cast<double>((j * 37 + s) % 8192) / 4096.0 - 1.0; };
            c.bias_value = [s](std::size_t j) { return static_cast<double>(j + s) / 64.0; };
            layers.push_back(c);
            layers.push_back({"relu" + suffix, "relu", {}, 0, MAT_C_SINGLE, false, {}, {}});
            in = out;
        }
        layers.push_back({"pool" + std::to_string(b + 1), "pool", {}, 0, MAT_C_SINGLE, false, {}, {}});
    }
    return layers;
}

void write_test_mat(const std::string& path, const std::vector<MatLayer>& layers, const MatBuildOptions& o) {
    std::filesystem::remove(path);
    mat_t* mat = Mat_CreateVer(path.c_str(), nullptr, o.v73 ? MAT_FT_MAT73 : MAT_FT_MAT5);
    if (mat == nullptr) throw std::runtime_error("mat_builder: cannot create " + path);
    const matio_compression z = o.compressed ? MAT_COMPRESSION_ZLIB : MAT_COMPRESSION_NONE;
    std::vector<matvar_t*> top;
    if (o.write_layers) {
        std::size_t dims[2] = {1, layers.size()};
        matvar_t* cell = Mat_VarCreate("layers", MAT_C_CELL, MAT_T_CELL, 2, dims, nullptr, 0);
        for (std::size_t i = 0; i < layers.size(); ++i)
            Mat_VarSetCell(cell, static_cast<int>(i), layer_struct(layers[i], o.new_layout));
        top.push_back(cell);
    } else {
        std::vector<double> v = {1, 2, 3};
        std::size_t dims[2] = {1, 3};
        top.push_back(Mat_VarCreate("foo", MAT_C_DOUBLE, MAT_T_DOUBLE, 2, dims, v.data(), 0));
    }
    const std::vector<double> mean = o.mean_rgb;
    auto mean_value = [&](std::size_t j) {
        std::size_t plane = 1;
        for (std::size_t k = 0; k + 1 < o.mean_dims.size(); ++k) plane *= o.mean_dims[k];
        return mean[(j / plane) % 3];
    };
    std::vector<const char*> norm_names;
    std::vector<matvar_t*> norm_values;
    if (o.write_mean) {
        norm_names.push_back("averageImage");
        norm_values.push_back(numeric(MAT_C_SINGLE, o.mean_dims, mean_value, false));
    }
    norm_names.push_back("imageSize");
    norm_values.push_back(row({224, 224, 3}));
    if (o.new_layout) {
        top.push_back(structure({"normalization"}, {structure(norm_names, norm_values)}, "meta"));
    } else {
        top.push_back(structure(norm_names, norm_values, "normalization"));
    }
    for (matvar_t* v : top) {
        Mat_VarWrite(mat, v, z);
        Mat_VarFree(v);
    }
    Mat_Close(mat);
}

void write_variables_mat(const std::string& path, const std::vector<MatVariable>& variables, bool compressed) {
    std::filesystem::remove(path);
    mat_t* mat = Mat_CreateVer(path.c_str(), nullptr, MAT_FT_MAT5);
    if (mat == nullptr) throw std::runtime_error("mat_builder: cannot create " + path);
    for (const MatVariable& v : variables) {
        matvar_t* var = numeric(v.data_class, v.dims, v.value, v.complex);
        var->name = strdup(v.name.c_str());  // matio frees it with the variable
        Mat_VarWrite(mat, var, compressed ? MAT_COMPRESSION_ZLIB : MAT_COMPRESSION_NONE);
        Mat_VarFree(var);
    }
    Mat_Close(mat);
}

std::string scratch_dir(const std::string& name) {
    const std::filesystem::path p = std::filesystem::current_path() / "scratch" / name;
    std::filesystem::remove_all(p);
    std::filesystem::create_directories(p);
    return p.string();
}

}  // namespace nst::test
