// The VGG-19 weights loader, the built-in random network and the .mat writer.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "../../support/mat_builder.hpp"
#include "nst/error.hpp"
#include "nst/weights.hpp"

namespace fs = std::filesystem;
using nst::test::MatBuildOptions;
using nst::test::scratch_dir;
using nst::test::vgg_test_layers;
using nst::test::write_test_mat;

namespace {

// Filters [o][i][r][c] from the layer's MATLAB column-major values [r, c, i, o].
float expected_filter(const nst::test::MatLayer& l, std::size_t o, std::size_t i, std::size_t r, std::size_t c) {
    const std::size_t cin = l.filter_dims[2];
    return static_cast<float>(l.filter_value(r + 3 * (c + 3 * (i + cin * o))));
}

void require_same_weights(const nst::VggWeights& a, const nst::VggWeights& b) {
    REQUIRE(a.convs.size() == b.convs.size());
    for (std::size_t k = 0; k < a.convs.size(); ++k) {
        INFO(a.convs[k].name);
        CHECK(a.convs[k].name == b.convs[k].name);
        CHECK(a.convs[k].in_channels == b.convs[k].in_channels);
        CHECK(a.convs[k].out_channels == b.convs[k].out_channels);
        CHECK(a.convs[k].filters == b.convs[k].filters);
        CHECK(a.convs[k].bias == b.convs[k].bias);
    }
}

}  // namespace

TEST_CASE("VGG-19's layer table follows MatConvNet's numbering", "[weights]") {
    const auto& layers = nst::vgg19_layers();
    REQUIRE(layers.size() == 37);
    CHECK(layers[0].name == "conv1_1");
    CHECK(layers[nst::vgg19_layer_position("relu4_2")].mat_index == 22);
    CHECK(layers[nst::vgg19_layer_position("conv3_1")].mat_index == 10);
    CHECK(layers[nst::vgg19_layer_position("pool4")].mat_index == 27);
    CHECK(layers[nst::vgg19_layer_position("conv5_4")].mat_index == 34);
    CHECK(layers[nst::vgg19_layer_position("pool5")].mat_index == 36);
    CHECK(layers[nst::vgg19_layer_position("conv4_1")].out_channels == 512);
    CHECK_THROWS_WITH(nst::vgg19_layer_position("conv6_1"), Catch::StartsWith("unknown VGG-19 layer 'conv6_1'"));
}

TEST_CASE("the loader reads every element where MatConvNet put it (new layout, all containers)", "[weights]") {
    const std::string dir = scratch_dir("weights_elements");
    const auto layers = vgg_test_layers(8, 5);
    for (int variant = 0; variant < 3; ++variant) {
        MatBuildOptions o;
        o.compressed = variant == 0;
        o.v73 = variant == 2;
        const std::string path = dir + "/v" + std::to_string(variant) + ".mat";
        write_test_mat(path, layers, o);
        const nst::VggWeights w = nst::load_vgg19_mat(path, "pool5");
        INFO("variant " << variant);
        REQUIRE(w.convs.size() == 16);
        CHECK(w.mean_rgb == std::array<float, 3>{123.68f, 116.779f, 103.939f});
        for (const nst::ConvWeights& c : w.convs) {
            const nst::test::MatLayer& l = *std::find_if(layers.begin(), layers.end(),
                                                         [&](const auto& x) { return x.name == c.name; });
            REQUIRE(c.in_channels == static_cast<int>(l.filter_dims[2]));
            REQUIRE(c.out_channels == static_cast<int>(l.filter_dims[3]));
            bool all_equal = true;
            for (std::size_t o2 = 0; o2 < l.filter_dims[3]; ++o2)
                for (std::size_t i = 0; i < l.filter_dims[2]; ++i)
                    for (std::size_t r = 0; r < 3; ++r)
                        for (std::size_t s = 0; s < 3; ++s)
                            all_equal &= c.filters[((o2 * l.filter_dims[2] + i) * 3 + r) * 3 + s] ==
                                         expected_filter(l, o2, i, r, s);
            CHECK(all_equal);
            for (std::size_t j = 0; j < c.bias.size(); ++j) CHECK(c.bias[j] == static_cast<float>(l.bias_value(j)));
        }
    }
}

TEST_CASE("an asymmetric filter proves that the first MATLAB dimension runs along image rows", "[weights]") {
    // conv1_1: one output channel whose filter is 1 at MATLAB (row 1, col 2) of input channel 1 (1-based),
    // i.e. 0-based (r=0, c=1). MatConvNet's cross-correlation y(r,c) = sum f(kr,kc) x(r+kr-1, c+kc-1) then
    // gives y(r,c) = x(r-1, c): the image moves down one row, not right one column.
    auto layers = vgg_test_layers(64, 1);
    layers[0].filter_dims = {3, 3, 3, 1};
    layers[0].bias_count = 1;
    layers[0].filter_value = [](std::size_t j) { return j == 0 + 3 * 1 ? 1.0 : 0.0; };  // (r=0, c=1, in=0, out=0)
    layers[0].bias_value = [](std::size_t) { return 0.0; };
    layers[2].filter_dims = {3, 3, 1, 1};
    layers[2].bias_count = 1;
    const std::string path = scratch_dir("weights_orientation") + "/asym.mat";
    write_test_mat(path, {layers.begin(), layers.begin() + 3});
    const nst::VggWeights w = nst::load_vgg19_mat(path, "relu1_1");
    REQUIRE(w.convs.size() == 1);
    const nst::ConvWeights& c = w.convs[0];

    // A 4x5 single-channel-significant image with distinct values; textbook cross-correlation, pad 1.
    const int H = 4, W = 5;
    auto x = [&](int ch, int r, int col) -> double {
        if (r < 0 || r >= H || col < 0 || col >= W) return 0.0;
        return ch == 0 ? 10.0 * r + col : 1000.0;  // channels 1, 2 must not leak in
    };
    for (int r = 0; r < H; ++r)
        for (int col = 0; col < W; ++col) {
            double y = 0.0;
            for (int i = 0; i < 3; ++i)
                for (int kr = 0; kr < 3; ++kr)
                    for (int kc = 0; kc < 3; ++kc)
                        y += c.filters[static_cast<std::size_t>((i * 3 + kr) * 3 + kc)] * x(i, r + kr - 1, col + kc - 1);
            CHECK(y == x(0, r - 1, col));
        }
}

TEST_CASE("the old layout (beta16) loads, averaging its 224x224x3 mean image", "[weights]") {
    const auto layers = vgg_test_layers(8, 2);
    MatBuildOptions o;
    o.new_layout = false;
    o.mean_dims = {224, 224, 3};
    const std::string path = scratch_dir("weights_old") + "/old.mat";
    write_test_mat(path, layers, o);
    const nst::VggWeights w = nst::load_vgg19_mat(path, "relu5_1");
    CHECK(w.convs.size() == 13);
    CHECK(w.convs.back().name == "conv5_1");
    CHECK(w.mean_rgb[0] == Approx(123.68f).epsilon(1e-6));
    CHECK(w.mean_rgb[2] == Approx(103.939f).epsilon(1e-6));
    const nst::WeightsFileInfo info = nst::inspect_weights_file(path);
    CHECK_THAT(info.layout, Catch::StartsWith("old"));
    CHECK(info.mean_source == "normalization.averageImage (224x224x3, averaged)");
}

TEST_CASE("double data is converted to float", "[weights]") {
    auto layers = vgg_test_layers(16, 3);
    layers[0].data_class = MAT_C_DOUBLE;
    const std::string path = scratch_dir("weights_double") + "/d.mat";
    write_test_mat(path, layers);
    const nst::VggWeights w = nst::load_vgg19_mat(path, "conv1_1");
    CHECK(w.convs[0].filters[0] == expected_filter(layers[0], 0, 0, 0, 0));
    CHECK(w.convs[0].bias[3] == static_cast<float>(layers[0].bias_value(3)));
}

TEST_CASE("only the layers up to the deepest one needed are loaded", "[weights]") {
    const std::string path = scratch_dir("weights_partial") + "/p.mat";
    write_test_mat(path, vgg_test_layers(8, 4));
    CHECK(nst::load_vgg19_mat(path, "relu1_1").convs.size() == 1);
    CHECK(nst::load_vgg19_mat(path, "pool1").convs.size() == 2);
    CHECK(nst::load_vgg19_mat(path, "relu4_2").convs.size() == 10);
    CHECK(nst::load_vgg19_mat(path, "conv4_2").convs.back().name == "conv4_2");
}

TEST_CASE("libnst's writer and loader round-trip both layouts in every container", "[weights]") {
    const std::string dir = scratch_dir("weights_roundtrip");
    const nst::VggWeights original = nst::random_vgg19(11, "pool5", 8);
    for (auto layout : {nst::MatLayout::New, nst::MatLayout::Old})
        for (auto container : {nst::MatContainer::V5Compressed, nst::MatContainer::V5Uncompressed, nst::MatContainer::V73}) {
            const std::string path = dir + "/rt" + std::to_string(int(layout)) + std::to_string(int(container)) + ".mat";
            nst::MatWriteOptions o;
            o.layout = layout;
            o.container = container;
            nst::write_vgg19_mat(path, original, o);
            const nst::VggWeights back = nst::load_vgg19_mat(path, "pool5");
            INFO(path);
            require_same_weights(original, back);
            CHECK(back.mean_rgb[1] == Approx(116.779f).epsilon(1e-6));
            const nst::WeightsFileInfo info = nst::inspect_weights_file(path);
            CHECK(info.layers.size() == 43);
            CHECK(info.layers[42].name == "prob");
            CHECK(info.network == "VGG-19 with 1/8 of its channels");
            CHECK(info.container ==
                  (container == nst::MatContainer::V73 ? "MAT v7.3 (HDF5)"
                   : container == nst::MatContainer::V5Compressed ? "MAT v5, zlib-compressed"
                                                                  : "MAT v5, uncompressed"));
        }
}

TEST_CASE("the built-in random VGG-19 is seeded, He-initialised and full width", "[weights]") {
    const nst::VggWeights a = nst::random_vgg19(7, "relu3_1");
    const nst::VggWeights b = nst::random_vgg19(7, "relu3_1");
    const nst::VggWeights c = nst::random_vgg19(8, "relu3_1");
    require_same_weights(a, b);
    CHECK(a.convs[0].filters != c.convs[0].filters);
    CHECK(a.random);
    CHECK(a.source == "random:7");
    REQUIRE(a.convs.size() == 5);
    const nst::ConvWeights& conv3_1 = a.convs[4];
    CHECK(conv3_1.in_channels == 128);
    CHECK(conv3_1.out_channels == 256);
    double sum = 0, sq = 0;
    for (float v : conv3_1.filters) {
        sum += v;
        sq += double(v) * v;
    }
    const double n = static_cast<double>(conv3_1.filters.size());  // 294,912 samples
    const double expected_std = std::sqrt(2.0 / (9.0 * 128));
    CHECK(std::abs(sum / n) < 0.01 * expected_std);
    CHECK(std::sqrt(sq / n) == Approx(expected_std).epsilon(0.01));
    CHECK(nst::load_weights("random:7", "relu3_1").convs[4].filters == conv3_1.filters);
    CHECK(nst::load_weights("random", "relu1_1").source == "random:0");
    CHECK_THROWS_WITH(nst::load_weights("random:x1", "relu1_1"),
                      "--weights random:x1: the seed must be a whole number (random:SEED)");
}

// ---- errors: one line, naming the file, the layer, what was expected and what was found ----

namespace {

std::string load_error(const std::string& path, const std::string& deepest = "pool5") {
    try {
        nst::load_vgg19_mat(path, deepest);
    } catch (const nst::Error& e) {
        const std::string m = e.what();
        CHECK(m.find('\n') == std::string::npos);
        CHECK(m.find("weights file '" + path + "': ") == 0);
        return m.substr(("weights file '" + path + "': ").size());
    }
    FAIL("no error for " << path);
    return {};
}

std::string with_broken_layer(const std::string& name, const std::function<void(std::vector<nst::test::MatLayer>&)>& edit,
                              const MatBuildOptions& o = {}) {
    auto layers = vgg_test_layers(8, 9);
    edit(layers);
    const std::string path = scratch_dir("weights_err_" + name) + "/broken.mat";
    write_test_mat(path, layers, o);
    return path;
}

}  // namespace

TEST_CASE("a missing file, a folder and a file that is not a MAT file are named", "[weights][errors]") {
    const std::string dir = scratch_dir("weights_err_files");
    CHECK(load_error(dir + "/nope.mat") == "no such file");
    CHECK(load_error(dir) == "is a folder, not a file");
    std::ofstream(dir + "/text.mat") << "not a mat file, just text\n";
    CHECK(load_error(dir + "/text.mat") == "is not a MAT file (26 bytes, less than a MAT-file header)");
    std::ofstream(dir + "/long.mat") << std::string(300, 'x');
    CHECK(load_error(dir + "/long.mat") == "is not a MAT file (no MATLAB v5/v7.3 header)");
}

TEST_CASE("a truncated file is reported as truncated, wherever it was cut", "[weights][errors]") {
    const std::string dir = scratch_dir("weights_err_truncated");
    const std::string full = dir + "/full.mat";
    write_test_mat(full, vgg_test_layers(8, 1));
    const auto size = fs::file_size(full);
    for (double fraction : {0.2, 0.5, 0.9, 0.999}) {
        const std::string cut = dir + "/cut.mat";
        fs::copy_file(full, cut, fs::copy_options::overwrite_existing);
        fs::resize_file(cut, static_cast<std::uintmax_t>(static_cast<double>(size) * fraction));
        INFO("cut at " << fraction);
        CHECK_THAT(load_error(cut), Catch::StartsWith("is truncated: variable 1 needs"));
    }
}

TEST_CASE("corrupt compressed data gives nst::Error, never a crash", "[weights][errors]") {
    const std::string dir = scratch_dir("weights_err_corrupt");
    const std::string full = dir + "/full.mat";
    write_test_mat(full, vgg_test_layers(8, 1));
    std::ifstream in(full, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    int errors = 0;
    for (std::size_t at = 130; at < bytes.size(); at += bytes.size() / 97) {
        std::string broken = bytes;
        for (std::size_t k = at; k < std::min(at + 16, broken.size()); ++k) broken[k] = static_cast<char>(broken[k] ^ 0x5A);
        const std::string path = dir + "/flip.mat";
        std::ofstream(path, std::ios::binary) << broken;
        try {
            nst::load_vgg19_mat(path, "pool5");
        } catch (const nst::Error&) {
            ++errors;
        }
    }
    CHECK(errors > 0);  // each flip either still loads (a changed value) or is an nst::Error: no crash
}

TEST_CASE("a file without `layers`, or without a mean pixel, is refused", "[weights][errors]") {
    const std::string dir = scratch_dir("weights_err_vars");
    MatBuildOptions o;
    o.write_layers = false;
    write_test_mat(dir + "/nolayers.mat", {}, o);
    CHECK(load_error(dir + "/nolayers.mat") == "has no variable 'layers' (found: foo, meta)");
    MatBuildOptions m;
    m.write_mean = false;
    write_test_mat(dir + "/nomean.mat", vgg_test_layers(8, 1), m);
    CHECK(load_error(dir + "/nomean.mat") == "has no meta.normalization.averageImage (the mean pixel)");
    MatBuildOptions bad;
    bad.mean_dims = {1, 4};
    write_test_mat(dir + "/badmean.mat", vgg_test_layers(8, 1), bad);
    CHECK(load_error(dir + "/badmean.mat") == "meta.normalization.averageImage is 1x4, expected 1x1x3 or HxWx3");
}

TEST_CASE("a missing or misnamed layer is named, with what stands in its place", "[weights][errors]") {
    const std::string path = with_broken_layer("misnamed", [](auto& l) { l[10].name = "conv3_x"; });
    CHECK(load_error(path) == "has no layer named conv3_1 (layer 10, where VGG-19 has it, is named 'conv3_x')");
    CHECK_NOTHROW(nst::load_vgg19_mat(path, "pool2"));  // layers before it are fine
    const std::string shortened = with_broken_layer("short", [](auto& l) { l.resize(19); });
    CHECK(load_error(shortened) == "has no layer named conv4_1");
    const std::string wrong_type = with_broken_layer("type", [](auto& l) { l[5].type = "pool"; });
    CHECK(load_error(wrong_type) == "layer conv2_1 has type 'pool', expected 'conv'");
}

TEST_CASE("wrong filter shapes, ranks, chains and bias sizes are named with expected and found", "[weights][errors]") {
    CHECK(load_error(with_broken_layer("shape", [](auto& l) { l[0].filter_dims = {5, 5, 3, 8}; })) ==
          "layer conv1_1 has 5x5x3x8 filters, expected 3x3x3x8");
    CHECK(load_error(with_broken_layer("rank", [](auto& l) { l[0].filter_dims = {3, 3, 3, 8, 2}; })) ==
          "layer conv1_1 has 3x3x3x8x2 filters, expected 3x3x3x8");
    CHECK(load_error(with_broken_layer("chain", [](auto& l) { l[5].filter_dims = {3, 3, 4, 16}; })) ==
          "layer conv2_1 has 3x3x4x16 filters, expected 3x3x8x16 (conv1_2 gives 8 channels)");
    CHECK(load_error(with_broken_layer("bias", [](auto& l) { l[2].bias_count = 7; })) ==
          "layer conv1_2 has a bias of 7 values, expected 8 (one per filter)");
    // MATLAB drops trailing singleton dimensions: a 3x3x3x1 filter bank is stored as 3x3x3, and is fine.
    auto single = vgg_test_layers(64, 1);
    single[0].filter_dims = {3, 3, 3};
    single[0].bias_count = 1;
    const std::string path = scratch_dir("weights_singleton") + "/s.mat";
    write_test_mat(path, {single.begin(), single.begin() + 2});
    CHECK(nst::load_vgg19_mat(path, "conv1_1").convs[0].out_channels == 1);
}

TEST_CASE("integer and complex data are refused; the class is named", "[weights][errors]") {
    CHECK(load_error(with_broken_layer("int", [](auto& l) { l[7].data_class = MAT_C_INT32; })) ==
          "layer conv2_2 biases are int32, expected single (or double)");
    CHECK(load_error(with_broken_layer("complex", [](auto& l) { l[0].complex = true; })) ==
          "layer conv1_1 biases are complex single, expected real single (or double)");
}

TEST_CASE("weights info says whether nst transfer can use a file, with the loader's own reason", "[weights][errors]") {
    const std::string good = scratch_dir("weights_usable") + "/good.mat";
    write_test_mat(good, vgg_test_layers(8, 1));
    CHECK(nst::inspect_weights_file(good).problem.empty());
    CHECK_THAT(nst::format_weights_info(nst::inspect_weights_file(good)), Catch::EndsWith("(values: --check)\n"));
    // Files the old report described ("custom channel counts", "not a complete VGG-19") with status 0.
    const std::string chain = with_broken_layer("info_chain", [](auto& l) { l[10].filter_dims = {3, 3, 7, 32}; });
    const std::string renamed = with_broken_layer("info_renamed", [](auto& l) { l[12].name = "conv3_x"; });
    const std::string wide = with_broken_layer("info_class", [](auto& l) { l[19].data_class = MAT_C_INT32; });  // conv4_1
    for (const std::string& path : {chain, renamed, wide}) {
        const nst::WeightsFileInfo info = nst::inspect_weights_file(path);
        INFO(path);
        CHECK(info.problem == load_error(path, "relu5_4"));  // the same check the loader makes
        CHECK_THAT(nst::format_weights_info(info), Catch::EndsWith("usable:    no: nst transfer refuses it: " +
                                                                   info.problem + "\n"));
    }
    CHECK(nst::inspect_weights_file(chain).problem ==
          "layer conv3_1 has 3x3x7x32 filters, expected 3x3x16x32 (conv2_2 gives 16 channels)");
}
