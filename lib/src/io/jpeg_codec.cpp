// JPEG through libjpeg-turbo (Debian's, fuzzed for years by OSS-Fuzz). libjpeg reports errors by calling
// error_exit, which must not return: it longjmps back to guarded(), whose frame holds no C++ objects. Its
// warnings (corrupt data, a premature end: libjpeg would fill the rest with grey) are errors here too.
#include <csetjmp>
#include <cstddef>
#include <cstdio>  // jpeglib.h needs size_t and FILE declared first
#include <cstdlib>

#include <jpeglib.h>

#include "io/image_codecs.hpp"
#include "nst/error.hpp"

namespace nst::codec {

namespace {

// libjpeg's working memory cap: a progressive image keeps all its coefficients (2 bytes per sample).
constexpr long kMaxDecoderMemory = 1L << 30;

struct ErrorManager {
    jpeg_error_mgr mgr;
    std::jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
};

[[noreturn]] void on_error(j_common_ptr cinfo) {
    auto* e = reinterpret_cast<ErrorManager*>(cinfo->err);
    (*cinfo->err->format_message)(cinfo, e->message);
    std::longjmp(e->jump, 1);
}

void on_message(j_common_ptr cinfo, int level) {
    if (level < 0) on_error(cinfo);  // a warning: corrupt or truncated data
}

void init_errors(ErrorManager& e) {
    jpeg_std_error(&e.mgr);
    e.mgr.error_exit = on_error;
    e.mgr.emit_message = on_message;
    e.message[0] = '\0';
}

struct Decode {
    const Bytes* file;
    jpeg_decompress_struct cinfo;
    Image image;
};

// Runs body(ctx) with libjpeg errors turned into a false return; no C++ object lives in this frame.
template <class Ctx>
bool guarded(ErrorManager& e, Ctx& ctx, void (*body)(Ctx&)) {
    if (setjmp(e.jump) != 0) return false;
    body(ctx);
    return true;
}

void read_header(Decode& d) {
    jpeg_mem_src(&d.cinfo, d.file->data(), static_cast<unsigned long>(d.file->size()));
    jpeg_read_header(&d.cinfo, TRUE);
}

void read_pixels(Decode& d) {
    d.cinfo.out_color_space = JCS_RGB;
    d.cinfo.mem->max_memory_to_use = kMaxDecoderMemory;
    jpeg_start_decompress(&d.cinfo);
    const std::size_t row = std::size_t(d.cinfo.output_width) * 3;
    while (d.cinfo.output_scanline < d.cinfo.output_height) {
        JSAMPROW rows[1] = {d.image.rgb.data() + row * d.cinfo.output_scanline};
        jpeg_read_scanlines(&d.cinfo, rows, 1);
    }
    jpeg_finish_decompress(&d.cinfo);
}

struct Encode {
    const Image* image;
    int quality;
    jpeg_compress_struct cinfo;
    unsigned char* out = nullptr;
    unsigned long size = 0;
};

void write_all(Encode& e) {
    jpeg_mem_dest(&e.cinfo, &e.out, &e.size);
    e.cinfo.image_width = static_cast<JDIMENSION>(e.image->width);
    e.cinfo.image_height = static_cast<JDIMENSION>(e.image->height);
    e.cinfo.input_components = 3;
    e.cinfo.in_color_space = JCS_RGB;
    jpeg_set_defaults(&e.cinfo);
    jpeg_set_quality(&e.cinfo, e.quality, TRUE);
    jpeg_start_compress(&e.cinfo, TRUE);
    const std::size_t row = std::size_t(e.image->width) * 3;
    while (e.cinfo.next_scanline < e.cinfo.image_height) {
        // libjpeg's API takes non-const rows; it only reads them.
        JSAMPROW rows[1] = {const_cast<unsigned char*>(e.image->rgb.data()) + row * e.cinfo.next_scanline};
        jpeg_write_scanlines(&e.cinfo, rows, 1);
    }
    jpeg_finish_compress(&e.cinfo);
}

}  // namespace

Image decode_jpeg(const Bytes& file, const std::string& path) {
    ErrorManager errors;
    init_errors(errors);
    Decode d{&file, {}, {}};
    d.cinfo.err = &errors.mgr;
    jpeg_create_decompress(&d.cinfo);
    bool ok = guarded(errors, d, read_header);
    if (ok) {
        // The DC scan alone codes at least one bit per 8x8 block of the full-resolution component.
        const std::uint64_t blocks = (std::uint64_t(d.cinfo.image_width) + 7) / 8 * ((d.cinfo.image_height + 7) / 8);
        try {
            check_declared_size(path, "JPEG", d.cinfo.image_width, d.cinfo.image_height, blocks / 8, file.size());
        } catch (...) {
            jpeg_destroy_decompress(&d.cinfo);
            throw;
        }
        d.image.width = static_cast<int>(d.cinfo.image_width);
        d.image.height = static_cast<int>(d.cinfo.image_height);
        d.image.rgb.resize(std::size_t(d.image.width) * std::size_t(d.image.height) * 3);
        ok = guarded(errors, d, read_pixels);
    }
    jpeg_destroy_decompress(&d.cinfo);
    if (!ok) throw Error("image '" + path + "': cannot be decoded as JPEG (" + errors.message + ")");
    return std::move(d.image);
}

Bytes encode_jpeg(const Image& image, int quality, const std::string& path) {
    ErrorManager errors;
    init_errors(errors);
    Encode e{&image, quality, {}, nullptr, 0};
    e.cinfo.err = &errors.mgr;
    jpeg_create_compress(&e.cinfo);
    const bool ok = guarded(errors, e, write_all);
    jpeg_destroy_compress(&e.cinfo);
    Bytes out;
    if (ok) out.assign(e.out, e.out + e.size);
    std::free(e.out);
    if (!ok) throw Error("cannot write '" + path + "': JPEG encoder: " + errors.message);
    return out;
}

}  // namespace nst::codec
