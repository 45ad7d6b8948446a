// make_test_images DIR: the pictures the CLI tests read: content.png (64x48), style.png (40x40), the
// content picture as JPEG, a corrupt PNG and a text file with an image extension.
#include <cstdio>
#include <fstream>
#include <string>

#include "nst/image.hpp"
#include "test_images.hpp"

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
    return 0;
}
