// Reading MatConvNet's VGG-19 files through matio: both layouts, MAT v5 (compressed or not) and v7.3.
// The `layers` variable is read as "info" (shapes, no data); only the filters and biases the run needs are
// then read, one at a time, so at most one layer exists twice in memory (matio's order and ours).
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "io/isolated_read.hpp"
#include "io/mat_reader.hpp"
#include "io/matio_util.hpp"
#include "nst/error.hpp"
#include "nst/weights.hpp"

namespace nst {

namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& path, const std::string& what) {
    throw Error("weights file '" + path + "': " + what);
}

// An opened MatConvNet file: its top-level variables as info, `layers`, and the name of every layer.
class MatConvNetFile : public mat::Reader {
public:
    explicit MatConvNetFile(const std::string& path) : mat::Reader(path, "weights file") {
        layers_ = top("layers");
        if (layers_ == nullptr) fail("has no variable 'layers' (found: " + top_names() + ")" + matio_detail());
        if (layers_->class_type != MAT_C_CELL)
            fail(std::string("'layers' is a ") + mat::class_name(layers_->class_type) + ", expected a cell array");
        if (top("meta") != nullptr) {
            new_layout_ = true;
        } else if (top("normalization") != nullptr) {
            new_layout_ = false;
        } else {
            fail("has 'layers' but neither 'meta' (new layout) nor 'normalization' (old layout)");
        }
        const std::size_t n = mat::element_count(layers_);
        if (n > kMaxLayers)
            fail("'layers' has " + std::to_string(n) + " elements; a VGG network has 43 (at most " +
                 std::to_string(kMaxLayers) + " accepted)");
        if (n > 0 && layers_->data == nullptr) fail("'layers' is unreadable (corrupt file)" + matio_detail());
        names_.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            matvar_t* layer = mat::cell(layers_, i);
            if (layer != nullptr && layer->class_type == MAT_C_STRUCT) names_[i] = read_string(field(layer, "name"));
        }
    }

    bool new_layout() const { return new_layout_; }
    bool compressed() const { return layers_->compression == MAT_COMPRESSION_ZLIB; }
    std::size_t layer_count() const { return names_.size(); }
    const std::string& name(std::size_t i) const { return names_[i]; }
    matvar_t* layer(std::size_t i) const { return mat::cell(layers_, i); }

    int find_layer(const std::string& name) const {
        for (std::size_t i = 0; i < names_.size(); ++i)
            if (names_[i] == name) return static_cast<int>(i);
        return -1;
    }

    // A field of a struct's first element, or nullptr (also for a struct that has no element, no data or
    // no field names: all of which a corrupt file can make matio return).
    static matvar_t* field(matvar_t* s, const char* name) {
        if (s == nullptr || s->class_type != MAT_C_STRUCT || s->data == nullptr || mat::element_count(s) == 0)
            return nullptr;
        char* const* names = Mat_VarGetStructFieldnames(s);
        const unsigned n = Mat_VarGetNumberOfFields(s);
        if (names == nullptr || s->nbytes / sizeof(matvar_t*) < n) return nullptr;  // the field array is short
        for (unsigned i = 0; i < n; ++i)
            if (names[i] != nullptr && std::strcmp(names[i], name) == 0) return static_cast<matvar_t**>(s->data)[i];
        return nullptr;
    }

    // More layers than any network libnst reads could have (VGG-19: 43).
    static constexpr std::size_t kMaxLayers = 4096;

private:
    matvar_t* layers_ = nullptr;
    bool new_layout_ = true;
    std::vector<std::string> names_;
};

// More output channels than any VGG variant has: a corrupt or wrong file (and a guard against huge allocations).
constexpr std::size_t kMaxChannels = 65536;

// Filter dimensions padded to rank 4: MATLAB drops trailing singleton dimensions (3x3x3x1 is stored 3x3x3).
bool filter_dims(const matvar_t* f, std::size_t dims[4]) {
    if (f == nullptr || f->rank > 4 || f->rank < 0 || (f->rank > 0 && f->dims == nullptr)) return false;
    for (int i = 0; i < 4; ++i) dims[i] = i < f->rank ? f->dims[i] : 1;
    return true;
}

std::string dims4_text(const std::size_t d[4]) {
    return std::to_string(d[0]) + "x" + std::to_string(d[1]) + "x" + std::to_string(d[2]) + "x" + std::to_string(d[3]);
}

matvar_t* find_conv(const MatConvNetFile& file, const Vgg19Layer& spec) {
    const int i = file.find_layer(spec.name);
    if (i >= 0) return file.layer(static_cast<std::size_t>(i));
    std::string hint;
    if (static_cast<std::size_t>(spec.mat_index) < file.layer_count())
        hint = " (layer " + std::to_string(spec.mat_index) + ", where VGG-19 has it, is named '" +
               file.name(static_cast<std::size_t>(spec.mat_index)) + "')";
    fail(file.path(), "has no layer named " + spec.name + hint);
}

// The `weights` cell of a conv layer: {filters, bias}.
std::pair<matvar_t*, matvar_t*> conv_parameters(const MatConvNetFile& file, matvar_t* layer, const std::string& name) {
    const std::string type = file.read_string(MatConvNetFile::field(layer, "type"));
    if (type != "conv") fail(file.path(), "layer " + name + " has type '" + type + "', expected 'conv'");
    matvar_t* w = MatConvNetFile::field(layer, "weights");
    if (w == nullptr) fail(file.path(), "layer " + name + " has no 'weights' field");
    if (w->class_type != MAT_C_CELL || mat::element_count(w) != 2)
        fail(file.path(), "layer " + name + ": weights is a " + mat::dims_text(w) + " " +
                              mat::class_name(w->class_type) + ", expected a 1x2 cell {filters, bias}");
    matvar_t* filters = mat::cell(w, 0);
    matvar_t* bias = mat::cell(w, 1);
    if (filters == nullptr || bias == nullptr) fail(file.path(), "layer " + name + ": the weights cell is unreadable (corrupt file)");
    return {filters, bias};
}

// A convolution whose structure was checked: its filters and bias variables and its output channels.
struct CheckedConv {
    matvar_t* filters = nullptr;
    matvar_t* bias = nullptr;
    std::size_t d[4] = {0, 0, 0, 0};
};

// The structural checks of one convolution, made before any value is read: the layer exists and is a conv,
// its filters are 3x3 over the channels the previous layer gives, a plausible width, and one bias each.
// `in_channels`: what the previous convolution gives (3 for conv1_1); `vgg_in`: what it gives in VGG-19.
CheckedConv check_conv(const MatConvNetFile& file, const Vgg19Layer& spec, int in_channels, int vgg_in,
                       const std::string& previous) {
    const std::string& name = spec.name;
    auto [f, b] = conv_parameters(file, find_conv(file, spec), name);
    CheckedConv checked;
    std::size_t* d = checked.d;
    if (!filter_dims(f, d) || d[0] != 3 || d[1] != 3 || d[2] != static_cast<std::size_t>(in_channels)) {
        const std::string found = f->rank > 4 ? mat::dims_text(f) : dims4_text(d);
        // A narrower test network keeps VGG-19's proportions: expect the same fraction of its channels.
        std::string out = vgg_in % in_channels == 0 ? std::to_string(spec.out_channels / (vgg_in / in_channels)) : "K";
        // For conv1_1 the RGB input says nothing about the width: trust a found width that divides VGG-19's.
        const std::size_t found_out = f->rank >= 4 ? f->dims[3] : 1;
        if (previous.empty() && found_out > 0 && spec.out_channels % static_cast<int>(found_out) == 0)
            out = std::to_string(found_out);
        const std::string why =
            previous.empty() ? "" : " (" + previous + " gives " + std::to_string(in_channels) + " channels)";
        fail(file.path(), "layer " + name + " has " + found + " filters, expected 3x3x" + std::to_string(in_channels) +
                              "x" + out + why);
    }
    const std::size_t out = d[3];
    if (out == 0 || out > kMaxChannels)
        fail(file.path(), "layer " + name + " has " + dims4_text(d) + " filters: " + std::to_string(out) +
                              " output channels is not a plausible width (1 to " + std::to_string(kMaxChannels) + ")");
    if (mat::element_count(b) != out)
        fail(file.path(), "layer " + name + " has a bias of " + std::to_string(mat::element_count(b)) +
                              " values, expected " + std::to_string(out) + " (one per filter)");
    file.check_floats(b, "layer " + name + " biases");
    file.check_floats(f, "layer " + name + " filters");
    checked.filters = f;
    checked.bias = b;
    return checked;
}

// What load_vgg19_mat checks before it reads any value, for every convolution up to `last` (a position in
// vgg19_layers()): nst::Error at the first problem.
void check_structure(const MatConvNetFile& file, int last) {
    int in_channels = 3, vgg_in = 3;
    std::string previous;
    for (int i = 0; i <= last; ++i) {
        const Vgg19Layer& spec = vgg19_layers()[static_cast<std::size_t>(i)];
        if (spec.kind != LayerKind::Conv) continue;
        in_channels = static_cast<int>(check_conv(file, spec, in_channels, vgg_in, previous).d[3]);
        vgg_in = spec.out_channels;
        previous = spec.name;
    }
}

// One convolution's values, after check_conv: finite, and reordered from MATLAB's layout to KCRS.
ConvWeights load_conv(const MatConvNetFile& file, const Vgg19Layer& spec, int in_channels, int vgg_in,
                      const std::string& previous) {
    const std::string& name = spec.name;
    const CheckedConv checked = check_conv(file, spec, in_channels, vgg_in, previous);
    matvar_t* f = checked.filters;
    matvar_t* b = checked.bias;
    const std::size_t* d = checked.d;
    const std::size_t out = d[3];
    ConvWeights c;
    c.name = name;
    c.in_channels = in_channels;
    c.out_channels = static_cast<int>(out);
    c.bias = file.read_floats(b, "layer " + name + " biases");
    for (float v : c.bias)
        if (!std::isfinite(v)) fail(file.path(), "layer " + name + " has a non-finite bias");
    {
        // MATLAB order [row][col][in][out] column-major -> KCRS [out][in][row][col] row-major.
        const std::vector<float> src = file.read_floats(f, "layer " + name + " filters");
        const std::size_t cin = d[2];
        c.filters.resize(src.size());
        for (std::size_t o = 0; o < out; ++o)
            for (std::size_t i = 0; i < cin; ++i)
                for (std::size_t r = 0; r < 3; ++r)
                    for (std::size_t s = 0; s < 3; ++s) {
                        const float v = src[mat::filter_index(o, i, r, s, cin, 3)];
                        if (!std::isfinite(v)) fail(file.path(), "layer " + name + " has non-finite filter values");
                        c.filters[((o * cin + i) * 3 + r) * 3 + s] = v;
                    }
    }
    return c;
}

matvar_t* average_image(const MatConvNetFile& file, std::string* where) {
    if (file.new_layout()) {
        *where = "meta.normalization.averageImage";
        return MatConvNetFile::field(MatConvNetFile::field(file.top("meta"), "normalization"), "averageImage");
    }
    *where = "normalization.averageImage";
    return MatConvNetFile::field(file.top("normalization"), "averageImage");
}

// The mean pixel: 1x1x3 (new layout) or the average over an HxWx3 image (old layout: 224x224x3).
std::array<float, 3> read_mean(const MatConvNetFile& file, std::string* source) {
    std::string where;
    matvar_t* avg = average_image(file, &where);
    if (avg == nullptr) fail(file.path(), "has no " + where + " (the mean pixel)");
    const std::vector<float> v = file.read_floats(avg, where);
    std::array<float, 3> mean{};
    const std::size_t n = v.size();
    if (n == 3) {
        for (int c = 0; c < 3; ++c) mean[c] = v[static_cast<std::size_t>(c)];
    } else if (avg->rank == 3 && avg->dims[2] == 3 && n > 0) {
        const std::size_t plane = n / 3;  // column-major: each channel's plane is contiguous
        for (std::size_t c = 0; c < 3; ++c) {
            double sum = 0.0;
            for (std::size_t i = 0; i < plane; ++i) sum += v[c * plane + i];
            mean[c] = static_cast<float>(sum / static_cast<double>(plane));
        }
    } else {
        fail(file.path(), where + " is " + mat::dims_text(avg) + ", expected 1x1x3 or HxWx3");
    }
    for (float m : mean)
        if (!std::isfinite(m)) fail(file.path(), where + " is not finite");
    if (source != nullptr) *source = where + " (" + mat::dims_text(avg) + (n == 3 ? ")" : ", averaged)");
    return mean;
}

}  // namespace

static VggWeights load_vgg19_mat_unmapped(const std::string& path, const std::string& deepest) {
    const int last = vgg19_layer_position(deepest);
    const MatConvNetFile file(path);
    check_structure(file, last);  // every layer's shape before any value is read
    VggWeights w;
    w.source = path;
    w.mean_rgb = read_mean(file, nullptr);
    int in_channels = 3;
    int vgg_in = 3;
    std::string previous;
    for (int i = 0; i <= last; ++i) {
        const Vgg19Layer& spec = vgg19_layers()[static_cast<std::size_t>(i)];
        if (spec.kind != LayerKind::Conv) continue;
        w.convs.push_back(load_conv(file, spec, in_channels, vgg_in, previous));
        in_channels = w.convs.back().out_channels;
        vgg_in = spec.out_channels;
        previous = spec.name;
    }
    return w;
}

static WeightsFileInfo inspect_weights_file_unmapped(const std::string& path) {
    const MatConvNetFile file(path);
    WeightsFileInfo info;
    info.path = path;
    info.container = file.v73()          ? "MAT v7.3 (HDF5)"
                     : file.compressed() ? "MAT v5, zlib-compressed"
                                         : "MAT v5, uncompressed";
    info.layout = file.new_layout() ? "new (MatConvNet beta17+: layers, meta)"
                                    : "old (MatConvNet beta16: layers, classes, normalization)";
    info.mean_rgb = read_mean(file, &info.mean_source);
    for (std::size_t i = 0; i < file.layer_count(); ++i) {
        MatLayerSummary s;
        s.index = static_cast<int>(i);
        s.name = file.name(i);
        matvar_t* layer = file.layer(i);
        s.type = file.read_string(MatConvNetFile::field(layer, "type"));
        if (s.type == "conv") {
            matvar_t* w = MatConvNetFile::field(layer, "weights");
            if (w != nullptr && w->class_type == MAT_C_CELL && mat::element_count(w) == 2) {
                matvar_t* f = mat::cell(w, 0);
                matvar_t* b = mat::cell(w, 1);
                s.detail = mat::dims_text(f) + " + " + std::to_string(mat::element_count(b)) + " " +
                           (f != nullptr ? mat::class_name(f->class_type) : "");
            } else {
                s.detail = "(no {filters, bias} cell)";
            }
        } else if (s.type == "pool") {
            const std::string method = file.read_string(MatConvNetFile::field(layer, "method"));
            std::string window, stride;
            if (matvar_t* p = MatConvNetFile::field(layer, "pool"))
                if (mat::element_count(p) == 2) {
                    const auto v = file.read_floats(p, "layer " + s.name + " pool size");
                    window = std::to_string(int(v[0])) + "x" + std::to_string(int(v[1]));
                }
            if (matvar_t* st = MatConvNetFile::field(layer, "stride"))
                if (mat::element_count(st) >= 1)
                    stride = std::to_string(int(file.read_floats(st, "layer " + s.name + " stride")[0]));
            s.detail = method + " " + window + (stride.empty() ? "" : " stride " + stride);
        }
        info.layers.push_back(std::move(s));
    }
    // How the convolutions' widths relate to VGG-19's.
    int divisor = 0;
    bool uniform = true;
    std::string missing;
    for (const Vgg19Layer& spec : vgg19_layers()) {
        if (spec.kind != LayerKind::Conv) continue;
        const int i = file.find_layer(spec.name);
        if (i < 0) {
            missing += (missing.empty() ? "" : ", ") + spec.name;
            continue;
        }
        std::size_t d[4] = {0, 0, 0, 0};
        matvar_t* w = MatConvNetFile::field(file.layer(static_cast<std::size_t>(i)), "weights");
        if (w == nullptr || w->class_type != MAT_C_CELL || mat::element_count(w) != 2 ||
            !filter_dims(mat::cell(w, 0), d) || d[3] == 0 || spec.out_channels % static_cast<int>(d[3]) != 0) {
            uniform = false;
            continue;
        }
        const int k = spec.out_channels / static_cast<int>(d[3]);
        if (divisor == 0) divisor = k;
        if (k != divisor) uniform = false;
    }
    if (!missing.empty())
        info.network = "not a complete VGG-19 (no " + missing + ")";
    else if (!uniform || divisor == 0)
        info.network = "VGG-19 layers with custom channel counts";
    else if (divisor == 1)
        info.network = "VGG-19 (full channel counts)";
    else
        info.network = "VGG-19 with 1/" + std::to_string(divisor) + " of its channels";
    try {
        check_structure(file, vgg19_layer_position("relu5_4"));
    } catch (const Error& e) {
        const std::string prefix = "weights file '" + path + "': ";
        info.problem = std::string(e.what()).substr(std::string(e.what()).rfind(prefix, 0) == 0 ? prefix.size() : 0);
    }
    return info;
}

// Every failure of a library below (matio, HDF5, the standard library) as one nst::Error naming the file.
template <class F>
auto mapping_library_errors(const std::string& path, F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const Error&) {
        throw;
    } catch (const std::bad_alloc&) {
        fail(path, "does not fit in memory (a size it declares is too large)");
    } catch (const std::exception& e) {
        fail(path, std::string("could not be read: ") + e.what());
    }
}

VggWeights load_vgg19_mat(const std::string& path, const std::string& deepest) {
    auto read = [&] { return mapping_library_errors(path, [&] { return load_vgg19_mat_unmapped(path, deepest); }); };
    mat::read_in_child_first_if_v73(path, "weights file", [&] { read(); });
    return read();
}

WeightsFileInfo inspect_weights_file(const std::string& path) {
    auto read = [&] { return mapping_library_errors(path, [&] { return inspect_weights_file_unmapped(path); }); };
    mat::read_in_child_first_if_v73(path, "weights file", [&] { read(); });
    return read();
}

std::string format_weights_info(const WeightsFileInfo& info) {
    std::ostringstream out;
    char mean[96];
    std::snprintf(mean, sizeof mean, "%.3f %.3f %.3f", info.mean_rgb[0], info.mean_rgb[1], info.mean_rgb[2]);
    out << "file:      " << info.path << "\n"
        << "container: " << info.container << "\n"
        << "layout:    " << info.layout << "\n"
        << "network:   " << info.network << "\n"
        << "mean RGB:  " << mean << "  from " << info.mean_source << "\n"
        << "layers:    " << info.layers.size() << "\n";
    for (const MatLayerSummary& s : info.layers) {
        char line[160];
        std::snprintf(line, sizeof line, "  %3d  %-8s %-8s %s", s.index, s.name.c_str(), s.type.c_str(),
                      s.detail.c_str());
        std::string text = line;
        while (!text.empty() && text.back() == ' ') text.pop_back();
        out << text << "\n";
    }
    if (info.problem.empty())
        out << "usable:    yes: all 16 convolutions have shapes nst transfer accepts (values: --check)\n";
    else
        out << "usable:    no: nst transfer refuses it: " << info.problem << "\n";
    return out.str();
}

}  // namespace nst
