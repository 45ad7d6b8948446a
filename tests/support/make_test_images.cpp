// make_test_images DIR: the pictures the CLI tests read: content.png (64x48), style.png (40x40), the
// content picture as JPEG, a corrupt PNG and a text file with an image extension; and two 1/8-channel
// VGG-19 files nst transfer must refuse (built with matio directly): one whose conv3_1 takes 7 channels
// where conv2_2 gives 16, one whose conv3_2 is renamed; and a synthetic video for nst batch --video:
// frames/square_000.png ... _007.png (96x72), a still picture with a 16 px red square moving 3 px a frame.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "mat_builder.hpp"
#include "nst/image.hpp"
#include "test_images.hpp"

namespace {

void write_square_video(const std::string& dir) {
    std::filesystem::create_directories(dir);
    const nst::Image still = nst::test::content_picture(96, 72);
    for (int t = 0; t < 8; ++t) {
        nst::Image frame = still;
        for (int y = 20; y < 36; ++y)
            for (int x = 10 + 3 * t; x < 26 + 3 * t; ++x) {
                std::uint8_t* p = &frame.rgb[(std::size_t(y) * 96 + x) * 3];
                p[0] = 220;
                p[1] = 40;
                p[2] = 40;
            }
        char name[32];
        std::snprintf(name, sizeof name, "/square_%03d.png", t);
        nst::save_image(frame, dir + name);
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_test_images DIR\n");
        return 2;
    }
    const std::string dir = argv[1];
    nst::save_image(nst::test::content_picture(64, 48), dir + "/content.png");
    nst::save_image(nst::test::content_picture(64, 48), dir + "/content.jpg");
    nst::save_image(nst::test::style_picture(40, 40), dir + "/style.png");
    std::ofstream(dir + "/corrupt.png", std::ios::binary) << "\x89PNG\r\n\x1a\n" << std::string(100, '\x17');
    std::ofstream(dir + "/notes.png") << "this is text, not a picture\n";
    auto layers = nst::test::vgg_test_layers(8, 1);
    layers[10].filter_dims = {3, 3, 7, 32};  // conv3_1
    nst::test::write_test_mat(dir + "/vgg19-div8-broken-chain.mat", layers);
    layers = nst::test::vgg_test_layers(8, 1);
    layers[12].name = "conv3_x";  // conv3_2
    nst::test::write_test_mat(dir + "/vgg19-div8-renamed.mat", layers);
    write_square_video(dir + "/frames");
    return 0;
}
