// The committed seed corpus (tests/fuzz/corpus), written by libnst itself: `nst_hostile_corpus seeds DIR`.
// Small valid files of every kind and layout the readers accept, so that mutants reach deep into each.
#include <cstddef>
#include <cstdio>

#include <jpeglib.h>

#include <filesystem>
#include <fstream>

#include "nst/dataset.hpp"
#include "nst/image.hpp"
#include "nst/weights.hpp"
#include "seeds.hpp"

namespace nst::fuzz {

namespace {

void write(const std::string& path, const Bytes& b) {
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(b.data()), std::streamsize(b.size()));
}

Image pattern(int w, int h) {
    Image im;
    im.width = w;
    im.height = h;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            for (int c = 0; c < 3; ++c) im.rgb.push_back(static_cast<std::uint8_t>((x * 16 + y * 9 + c * 80) % 256));
    return im;
}

// A progressive JPEG (libnst writes baseline ones): the kind whose coefficient buffers a hostile size inflates.
void write_progressive_jpeg(const std::string& path, const Image& im) {
    jpeg_compress_struct cinfo;
    jpeg_error_mgr err;
    cinfo.err = jpeg_std_error(&err);
    jpeg_create_compress(&cinfo);
    unsigned char* out = nullptr;
    unsigned long size = 0;
    jpeg_mem_dest(&cinfo, &out, &size);
    cinfo.image_width = static_cast<JDIMENSION>(im.width);
    cinfo.image_height = static_cast<JDIMENSION>(im.height);
    cinfo.input_components = 3;
    cinfo.in_color_space = JCS_RGB;
    jpeg_set_defaults(&cinfo);
    jpeg_simple_progression(&cinfo);
    jpeg_start_compress(&cinfo, TRUE);
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row = const_cast<unsigned char*>(im.rgb.data()) + std::size_t(cinfo.next_scanline) * im.width * 3;
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    write(path, Bytes(out, out + size));
    free(out);
    jpeg_destroy_compress(&cinfo);
}

Bytes bmp24(const Image& im) {  // bottom-up BGR, rows padded to 4 bytes
    const std::size_t row = (std::size_t(im.width) * 3 + 3) / 4 * 4, size = 54 + row * std::size_t(im.height);
    Bytes b(size, 0);
    auto le32 = [&](std::size_t at, std::uint32_t v) {
        for (int i = 0; i < 4; ++i) b[at + std::size_t(i)] = static_cast<unsigned char>(v >> (8 * i));
    };
    b[0] = 'B', b[1] = 'M', b[26] = 1, b[28] = 24;
    le32(2, static_cast<std::uint32_t>(size)), le32(10, 54), le32(14, 40);
    le32(18, static_cast<std::uint32_t>(im.width)), le32(22, static_cast<std::uint32_t>(im.height));
    for (int y = 0; y < im.height; ++y)
        for (int x = 0; x < im.width; ++x)
            for (int c = 0; c < 3; ++c)
                b[54 + row * std::size_t(im.height - 1 - y) + std::size_t(x) * 3 + std::size_t(c)] =
                    im.rgb[(std::size_t(y) * im.width + x) * 3 + std::size_t(2 - c)];
    return b;
}

Bytes tga24_rle(const Image& im) {  // run-length encoded, top-left origin, one raw packet per row
    Bytes b(18, 0);
    b[2] = 10, b[12] = static_cast<unsigned char>(im.width), b[14] = static_cast<unsigned char>(im.height);
    b[16] = 24, b[17] = 0x20;
    for (int y = 0; y < im.height; ++y) {
        b.push_back(static_cast<unsigned char>(im.width - 1));  // a raw packet of `width` pixels
        for (int x = 0; x < im.width; ++x)
            for (int c = 2; c >= 0; --c) b.push_back(im.rgb[(std::size_t(y) * im.width + x) * 3 + std::size_t(c)]);
    }
    return b;
}

void write_weight_seeds(const std::string& dir) {
    const VggWeights w = random_vgg19(1, "relu5_4", 64);
    MatWriteOptions o;
    o.fc_channel_divisor = 256;
    write_vgg19_mat(dir + "/new-v5.mat", w, o);
    o.container = MatContainer::V5Uncompressed;
    write_vgg19_mat(dir + "/new-v5-uncompressed.mat", w, o);
    o.container = MatContainer::V73;  // HDF5: read in a child process first (lib/src/io/isolated_read.hpp)
    write_vgg19_mat(dir + "/new-v73.mat", w, o);
    o.container = MatContainer::V5Compressed;
    o.layout = MatLayout::Old;
    write_vgg19_mat(dir + "/old-v5.mat", w, o);
}

}  // namespace

void write_seeds(const std::string& out) {
    namespace fs = std::filesystem;
    for (const char* kind : {"weights", "image", "cifar"}) fs::create_directories(fs::path(out) / kind);
    write_weight_seeds(out + "/weights");
    const Image im = pattern(16, 12);
    save_image(im, out + "/image/seed.png");
    save_image(im, out + "/image/seed.jpg");
    write_progressive_jpeg(out + "/image/progressive.jpg", im);
    write(out + "/image/seed.bmp", bmp24(im));
    write(out + "/image/seed.tga", tga24_rle(im));
    const Dataset d = synthetic_cifar(3, 1, 1);
    write_cifar100_file(out + "/cifar/three.bin", d.train);
}

}  // namespace nst::fuzz
