// MAT v5 files crafted byte by byte: declared sizes that the data does not back, negative
// dimensions, deep nesting and corrupt compressed streams are refused by libnst's structure walk before
// matio allocates for them, through the public loaders, with one error naming the file.
#include <zlib.h>

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "../../support/mat_builder.hpp"
#include "nst/error.hpp"
#include "nst/weights.hpp"

namespace {

using Bytes = std::vector<unsigned char>;

// MAT v5 element types and array classes (MATLAB's level 5 format).
constexpr std::uint32_t miINT8 = 1, miINT32 = 5, miUINT32 = 6, miSINGLE = 7, miMATRIX = 14, miCOMPRESSED = 15;
constexpr std::uint32_t kCell = 1, kStruct = 2, kSingle = 7;

void put32(Bytes& b, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) b.push_back(static_cast<unsigned char>(v >> (8 * i)));
}

// A data element: tag, data, zero padding to 8 bytes.
Bytes element(std::uint32_t type, const Bytes& data) {
    Bytes b;
    put32(b, type);
    put32(b, static_cast<std::uint32_t>(data.size()));
    b.insert(b.end(), data.begin(), data.end());
    while (b.size() % 8 != 0) b.push_back(0);
    return b;
}

Bytes ints(const std::vector<std::int32_t>& v) {
    Bytes b;
    for (std::int32_t x : v) put32(b, static_cast<std::uint32_t>(x));
    return b;
}

// An miMATRIX element: flags, dims, name, then `body` (the class's own sub-elements).
Bytes matrix(std::uint32_t cls, const std::vector<std::int32_t>& dims, const std::string& name, const Bytes& body) {
    Bytes content = element(miUINT32, ints({static_cast<std::int32_t>(cls), 0}));
    const Bytes d = element(miINT32, ints(dims)), n = element(miINT8, Bytes(name.begin(), name.end()));
    content.insert(content.end(), d.begin(), d.end());
    content.insert(content.end(), n.begin(), n.end());
    content.insert(content.end(), body.begin(), body.end());
    return element(miMATRIX, content);
}

Bytes cat2(Bytes a, const Bytes& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

std::string write_mat(const std::string& name, const Bytes& variables) {
    Bytes file(128, ' ');
    const char text[] = "MATLAB 5.0 MAT-file, written by libnst's tests";
    std::memcpy(file.data(), text, sizeof text - 1);
    file[124] = 0x00;
    file[125] = 0x01;
    file[126] = 'I';
    file[127] = 'M';
    file.insert(file.end(), variables.begin(), variables.end());
    const std::string path = nst::test::scratch_dir("mat_v5_check") + "/" + name;
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(file.data()), std::streamsize(file.size()));
    return path;
}

std::string info_error(const std::string& path) {
    try {
        nst::inspect_weights_file(path);
    } catch (const nst::Error& e) {
        return e.what();
    }
    return "(accepted)";
}

Bytes single_row(int n) {  // a 1 x n single array's body: its data
    Bytes data;
    for (int i = 0; i < n; ++i) put32(data, 0x3f800000u);  // 1.0f
    return element(miSINGLE, data);
}

}  // namespace

TEST_CASE("a cell declaring more elements than its bytes hold is refused before matio reads it", "[reliability]") {
    const std::string path = write_mat("huge_cell.mat", matrix(kCell, {1, 1000000000}, "layers", {}));
    CHECK(info_error(path) == "weights file '" + path +
                                  "': is truncated or corrupt: variable 1: a cell or struct declares 1000000000 "
                                  "elements but has room for 0");
    const std::string neg = write_mat("negative.mat", matrix(kCell, {1, -2}, "layers", {}));
    CHECK_THAT(info_error(neg), Catch::EndsWith("variable 1: an array has a negative dimension"));
}

TEST_CASE("a numeric array declaring more values than it stores is refused", "[reliability]") {
    const std::string path = write_mat("huge_mean.mat", matrix(kSingle, {1, 1, 1 << 30}, "averageImage", single_row(3)));
    CHECK_THAT(info_error(path), Catch::EndsWith("variable 1: an array declares 1073741824 elements but stores 3"));
    const std::string ok = write_mat("small_mean.mat", matrix(kSingle, {1, 3}, "averageImage", single_row(3)));
    CHECK_THAT(info_error(ok), Catch::Contains("has no variable 'layers'"));  // structure fine: the loader's own check
}

TEST_CASE("structs with no field names, and arrays nested too deep, are refused", "[reliability]") {
    const Bytes zero_length = element(miINT32, ints({0}));
    const std::string s = write_mat("struct.mat", matrix(kStruct, {1, 1}, "meta", zero_length));
    CHECK_THAT(info_error(s), Catch::EndsWith("variable 1: a struct's field names are 0 bytes long"));
    Bytes nested = matrix(kCell, {0, 0}, "", {});
    for (int i = 0; i < 40; ++i) nested = matrix(kCell, {1, 1}, i == 39 ? "layers" : "", nested);
    CHECK_THAT(info_error(write_mat("deep.mat", nested)), Catch::EndsWith("arrays nested more than 16 deep"));
}

TEST_CASE("a compressed variable is walked as it inflates; corrupt or short streams are refused", "[reliability]") {
    const Bytes inner = matrix(kCell, {1, 1000}, "layers", {});  // declares 1000 cells, holds none
    Bytes packed(compressBound(inner.size()));
    uLongf size = packed.size();
    REQUIRE(compress(packed.data(), &size, inner.data(), inner.size()) == Z_OK);
    packed.resize(size);
    Bytes var;
    put32(var, miCOMPRESSED);
    put32(var, static_cast<std::uint32_t>(packed.size()));
    var.insert(var.end(), packed.begin(), packed.end());
    CHECK_THAT(info_error(write_mat("zcell.mat", var)), Catch::EndsWith("declares 1000 elements but has room for 0"));
    Bytes corrupt = var;
    for (std::size_t i = 12; i < corrupt.size(); ++i) corrupt[i] ^= 0x5a;
    CHECK_THAT(info_error(write_mat("zcorrupt.mat", corrupt)), Catch::Contains("is truncated or corrupt: variable 1:"));
}

TEST_CASE("real weight files, compressed or not, pass the structure walk unchanged", "[reliability]") {
    const std::string dir = nst::test::scratch_dir("mat_v5_real");
    for (bool compressed : {true, false}) {
        nst::test::MatBuildOptions o;
        o.compressed = compressed;
        const std::string path = dir + (compressed ? "/z.mat" : "/raw.mat");
        nst::test::write_test_mat(path, nst::test::vgg_test_layers(8, 3), o);
        CHECK(nst::inspect_weights_file(path).problem.empty());
        CHECK(nst::load_vgg19_mat(path, "relu5_1").convs.size() == 13);
    }
}

TEST_CASE("a layer struct with no element (dims 1x0) is a named error, not a crash", "[reliability]") {
    std::string names = std::string("name") + std::string(4, '\0') + "type" + std::string(4, '\0');
    const Bytes body = cat2(element(miINT32, ints({8})), element(miINT8, Bytes(names.begin(), names.end())));
    const Bytes layers = matrix(kCell, {1, 1}, "layers", matrix(kStruct, {1, 0}, "", body));
    const Bytes one_field = cat2(element(miINT32, ints({8})), element(miINT8, Bytes(8, 'x')));
    const Bytes meta = matrix(kStruct, {1, 1}, "meta", cat2(one_field, element(miMATRIX, {})));  // x = []
    const std::string path = write_mat("empty_layer.mat", cat2(layers, meta));
    CHECK_THAT(info_error(path), Catch::StartsWith("weights file '" + path + "': ") && !Catch::Contains("(accepted)"));
    CHECK_THROWS_WITH(nst::load_vgg19_mat(path, "relu1_1"), Catch::Contains("has no layer named conv1_1"));
}
