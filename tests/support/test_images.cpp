#include "test_images.hpp"

#include <cmath>

namespace nst::test {

Image content_picture(int width, int height) {
    Image im{width, height, std::vector<std::uint8_t>(std::size_t(width) * height * 3)};
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            std::uint8_t* p = &im.rgb[(std::size_t(y) * width + x) * 3];
            const double dx = x - width * 0.4, dy = y - height * 0.55;
            const bool disc = dx * dx + dy * dy < (height * 0.25) * (height * 0.25);
            p[0] = static_cast<std::uint8_t>(disc ? 220 : 40 + 150 * x / std::max(1, width - 1));
            p[1] = static_cast<std::uint8_t>(disc ? 60 : 90 + 100 * y / std::max(1, height - 1));
            p[2] = static_cast<std::uint8_t>(x > width * 3 / 4 && y < height / 3 ? 230 : 70);
        }
    return im;
}

Image style_picture(int width, int height) {
    Image im{width, height, std::vector<std::uint8_t>(std::size_t(width) * height * 3)};
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            std::uint8_t* p = &im.rgb[(std::size_t(y) * width + x) * 3];
            const double wave = std::sin((x + 2 * y) * 0.6);
            p[0] = static_cast<std::uint8_t>(128 + 120 * wave);
            p[1] = static_cast<std::uint8_t>((x / 4 + y / 4) % 2 ? 200 : 30);
            p[2] = static_cast<std::uint8_t>(128 - 100 * wave);
        }
    return im;
}

}  // namespace nst::test
