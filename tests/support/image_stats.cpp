// image_stats: numbers the CLI tests compare pictures by.
//   image_stats diff A B                  the largest and the mean absolute difference of two same-sized images
//   image_stats flicker IN OUT FIRST LAST the mean absolute difference between consecutive output frames over the
//                                         pixels that do not change between the input frames (static regions):
//                                         IN and OUT are printf patterns (%03d), frames FIRST..LAST
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "nst/image.hpp"

namespace {

std::string frame(const char* pattern, int t) {
    char name[4096];
    std::snprintf(name, sizeof name, pattern, t);
    return name;
}

int diff(const std::string& a_path, const std::string& b_path) {
    const nst::Image a = nst::load_image(a_path), b = nst::load_image(b_path);
    if (a.width != b.width || a.height != b.height) {
        std::fprintf(stderr, "image_stats: the sizes differ\n");
        return 2;
    }
    int largest = 0;
    double sum = 0.0;
    for (std::size_t i = 0; i < a.rgb.size(); ++i) {
        const int d = std::abs(int(a.rgb[i]) - int(b.rgb[i]));
        largest = d > largest ? d : largest;
        sum += d;
    }
    std::printf("max %d mean %.6f\n", largest, sum / static_cast<double>(a.rgb.size()));
    return 0;
}

int flicker(const char* in, const char* out, int first, int last) {
    double sum = 0.0;
    long count = 0;
    for (int t = first; t < last; ++t) {
        const nst::Image a = nst::load_image(frame(in, t)), b = nst::load_image(frame(in, t + 1));
        const nst::Image oa = nst::load_image(frame(out, t)), ob = nst::load_image(frame(out, t + 1));
        for (std::size_t p = 0; p < std::size_t(a.width) * a.height; ++p) {
            bool still = true;
            for (int c = 0; c < 3; ++c) still = still && a.rgb[p * 3 + c] == b.rgb[p * 3 + c];
            if (!still) continue;
            for (int c = 0; c < 3; ++c) sum += std::abs(int(oa.rgb[p * 3 + c]) - int(ob.rgb[p * 3 + c]));
            count += 3;
        }
    }
    std::printf("flicker %.4f over %ld values\n", count > 0 ? sum / static_cast<double>(count) : 0.0, count);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const std::string mode = argc > 1 ? argv[1] : "";
        if (mode == "diff" && argc == 4) return diff(argv[2], argv[3]);
        if (mode == "flicker" && argc == 6) return flicker(argv[2], argv[3], std::atoi(argv[4]), std::atoi(argv[5]));
        std::fprintf(stderr, "usage: image_stats diff A B | image_stats flicker IN OUT FIRST LAST\n");
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "image_stats: %s\n", e.what());
        return 2;
    }
}
