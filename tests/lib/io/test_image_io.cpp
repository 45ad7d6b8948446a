// Images in and out against hostile and broken files: every declared size is checked before
// anything is allocated for it, files too short for their pixels and header-only files are refused,
// formats libnst does not document are refused by their magic bytes, and a FIFO is never opened. Every
// file here is written by the test itself.
#include <sys/stat.h>
#include <zlib.h>

#include <catch2/catch.hpp>

#include <climits>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "../../support/mat_builder.hpp"
#include "nst/error.hpp"
#include "nst/image.hpp"

namespace {

using Bytes = std::vector<unsigned char>;
using nst::test::scratch_dir;

Bytes read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), {});
}

void write_bytes(const std::string& path, const Bytes& b) {
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(b.data()), std::streamsize(b.size()));
}

// A smooth ramp in each channel (no wrap-around edges: JPEG's error stays small).
nst::Image gradient(int w, int h) {
    nst::Image im;
    im.width = w;
    im.height = h;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            for (int c = 0; c < 3; ++c) im.rgb.push_back(static_cast<std::uint8_t>((x * 2 + y * 3 + c * 40) % 256));
    return im;
}

std::string load_error(const std::string& path) {
    try {
        nst::load_image(path);
    } catch (const nst::Error& e) {
        return e.what();
    }
    return "(loaded)";
}

void put_be16(Bytes& b, std::size_t at, unsigned v) {
    b[at] = static_cast<unsigned char>(v >> 8);
    b[at + 1] = static_cast<unsigned char>(v);
}

void put_le32(Bytes& b, std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) b[at + std::size_t(i)] = static_cast<unsigned char>(v >> (8 * i));
}

// A JPEG written by libnst with its frame header (SOF0) declaring width x height instead.
Bytes jpeg_declaring(const std::string& dir, unsigned width, unsigned height) {
    nst::save_image(gradient(16, 16), dir + "/src.jpg");
    Bytes b = read_bytes(dir + "/src.jpg");
    for (std::size_t i = 2; i + 9 < b.size(); ++i)
        if (b[i] == 0xFF && b[i + 1] == 0xC0) {
            put_be16(b, i + 5, height);
            put_be16(b, i + 7, width);
            return b;
        }
    FAIL("no SOF0 marker in libnst's JPEG");
    return b;
}

// A PNG written by libnst with IHDR declaring width x height (its CRC recomputed, so only the size lies).
Bytes png_declaring(const std::string& dir, std::uint32_t width, std::uint32_t height) {
    nst::save_image(gradient(16, 16), dir + "/src.png");
    Bytes b = read_bytes(dir + "/src.png");
    for (int i = 0; i < 4; ++i) {
        b[16 + std::size_t(i)] = static_cast<unsigned char>(width >> (24 - 8 * i));
        b[20 + std::size_t(i)] = static_cast<unsigned char>(height >> (24 - 8 * i));
    }
    const uLong crc = crc32(0, b.data() + 12, 17);
    for (int i = 0; i < 4; ++i) b[29 + std::size_t(i)] = static_cast<unsigned char>(crc >> (24 - 8 * i));
    return b;
}

// A 24-bit BMP header (54 bytes) for width x height, followed by `pixel_bytes` bytes of pixels.
Bytes bmp(std::int32_t width, std::int32_t height, std::size_t pixel_bytes) {
    Bytes b(54 + pixel_bytes, 0);
    b[0] = 'B';
    b[1] = 'M';
    put_le32(b, 2, static_cast<std::uint32_t>(b.size()));
    put_le32(b, 10, 54);
    put_le32(b, 14, 40);
    put_le32(b, 18, static_cast<std::uint32_t>(width));
    put_le32(b, 22, static_cast<std::uint32_t>(height));
    b[26] = 1;
    b[28] = 24;
    for (std::size_t i = 54; i < b.size(); ++i) b[i] = static_cast<unsigned char>(i * 31);
    return b;
}

// An uncompressed 24-bit true-colour TGA header for width x height, with `pixel_bytes` bytes of pixels.
Bytes tga(unsigned width, unsigned height, std::size_t pixel_bytes) {
    Bytes b(18 + pixel_bytes, 0);
    b[2] = 2;
    b[12] = static_cast<unsigned char>(width);
    b[13] = static_cast<unsigned char>(width >> 8);
    b[14] = static_cast<unsigned char>(height);
    b[15] = static_cast<unsigned char>(height >> 8);
    b[16] = 24;
    return b;
}

}  // namespace

TEST_CASE("PNG and JPEG round trips through libpng and libjpeg-turbo", "[image][reliability]") {
    const std::string dir = scratch_dir("image_round_trip");
    const nst::Image im = gradient(37, 23);
    nst::save_image(im, dir + "/a.png");
    const nst::Image png = nst::load_image(dir + "/a.png");
    CHECK(png.width == 37);
    CHECK(png.height == 23);
    CHECK(png.rgb == im.rgb);  // lossless
    nst::save_image(im, dir + "/a.jpg");
    const nst::Image jpg = nst::load_image(dir + "/a.jpg");
    REQUIRE(jpg.rgb.size() == im.rgb.size());
    double diff = 0;
    for (std::size_t i = 0; i < im.rgb.size(); ++i) diff += std::abs(int(jpg.rgb[i]) - int(im.rgb[i]));
    // Quality 95 on a smooth ramp: measured 0.69 levels on average; over 8 would mean a broken codec.
    CHECK(diff / double(im.rgb.size()) < 8.0);
}

TEST_CASE("a declared size is refused before any pixel is decoded", "[image][reliability]") {
    const std::string dir = scratch_dir("image_declared_size");
    write_bytes(dir + "/huge.jpg", jpeg_declaring(dir, 26000, 26000));
    CHECK_THAT(load_error(dir + "/huge.jpg"), Catch::Contains("JPEG declares 26000x26000, larger than 16384 px"));
    write_bytes(dir + "/big.jpg", jpeg_declaring(dir, 16000, 16000));
    CHECK_THAT(load_error(dir + "/big.jpg"), Catch::Contains("JPEG declares 16000x16000 but its") &&
                                                 Catch::Contains("bytes cannot hold that"));
    write_bytes(dir + "/big.png", png_declaring(dir, 16384, 16384));
    CHECK_THAT(load_error(dir + "/big.png"), Catch::Contains("PNG declares 16384x16384 but its"));
    write_bytes(dir + "/wide.png", png_declaring(dir, 100000, 1));
    CHECK_THAT(load_error(dir + "/wide.png"), Catch::Contains("image '" + dir + "/wide.png'"));
}

TEST_CASE("truncated and header-only files are errors, not grey or black images", "[image][reliability]") {
    const std::string dir = scratch_dir("image_truncated");
    nst::save_image(gradient(64, 64), dir + "/full.jpg");
    Bytes jpg = read_bytes(dir + "/full.jpg");
    jpg.resize(jpg.size() / 2);
    write_bytes(dir + "/half.jpg", jpg);
    CHECK_THAT(load_error(dir + "/half.jpg"), Catch::Contains("cannot be decoded as JPEG"));
    nst::save_image(gradient(64, 64), dir + "/full.png");
    Bytes png = read_bytes(dir + "/full.png");
    png.resize(png.size() / 2);
    write_bytes(dir + "/half.png", png);
    CHECK_THAT(load_error(dir + "/half.png"), Catch::Contains("cannot be decoded as PNG"));
    write_bytes(dir + "/header.bmp", bmp(4, 4, 0));
    CHECK_THAT(load_error(dir + "/header.bmp"), Catch::Contains("BMP declares 4x4 but its 54 bytes cannot hold that"));
    write_bytes(dir + "/header.tga", tga(4, 4, 0));
    CHECK_THAT(load_error(dir + "/header.tga"), Catch::Contains("TGA declares 4x4 but its 18 bytes cannot hold that"));
}

TEST_CASE("BMP and TGA still decode, and a BMP height of INT_MIN is refused", "[image][reliability]") {
    const std::string dir = scratch_dir("image_bmp_tga");
    write_bytes(dir + "/ok.bmp", bmp(2, 2, 16));  // rows padded to 8 bytes
    const nst::Image b = nst::load_image(dir + "/ok.bmp");
    CHECK(b.width == 2);
    CHECK(b.height == 2);
    const Bytes raw = bmp(2, 2, 16);
    CHECK(b.rgb[0] == raw[54 + 8 + 2]);  // top-left = last row stored, BGR -> R
    write_bytes(dir + "/ok.tga", tga(3, 2, 18));
    CHECK(nst::load_image(dir + "/ok.tga").width == 3);
    write_bytes(dir + "/min.bmp", bmp(2, INT_MIN, 16));
    CHECK_THAT(load_error(dir + "/min.bmp"), Catch::Contains("BMP declares 2x2147483648, larger than 16384 px"));
    write_bytes(dir + "/rle.bmp", [] { Bytes b = bmp(2, 2, 16); b[30] = 1; return b; }());
    CHECK_THAT(load_error(dir + "/rle.bmp"), Catch::Contains("compressed (RLE) BMP files are not supported"));
}

TEST_CASE("formats libnst does not document are refused by their magic bytes", "[image][reliability]") {
    const std::string dir = scratch_dir("image_formats");
    const std::vector<std::pair<std::string, std::string>> files = {
        {"a.gif", "GIF89a\x01\x00\x01\x00\x00\x00\x00;"},
        {"a.hdr", "#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y 26000 +X 26000\n"},
        {"a.ppm", "P6\n2 2\n255\n"},
        {"a.psd", "8BPS\x00\x01"},
    };
    for (const auto& [name, text] : files) {
        write_bytes(dir + "/" + name, Bytes(text.begin(), text.end()));
        CHECK_THAT(load_error(dir + "/" + name), Catch::Contains("files are not supported; libnst reads JPEG, PNG, BMP and TGA"));
    }
    write_bytes(dir + "/notes.txt", Bytes{'h', 'e', 'l', 'l', 'o'});
    CHECK_THAT(load_error(dir + "/notes.txt"), Catch::Contains("cannot be decoded: not a JPEG, PNG or BMP file"));
}

TEST_CASE("a FIFO, a folder and a missing file are named, never opened", "[image][reliability]") {
    const std::string dir = scratch_dir("image_special");
    REQUIRE(::mkfifo((dir + "/pipe.png").c_str(), 0600) == 0);
    CHECK(load_error(dir + "/pipe.png") == "image '" + dir + "/pipe.png': is a FIFO, not a regular file");
    CHECK(load_error(dir) == "image '" + dir + "': is a folder, not a file");
    CHECK(load_error(dir + "/none.png") == "image '" + dir + "/none.png': no such file");
}
