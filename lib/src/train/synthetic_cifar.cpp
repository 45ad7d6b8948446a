// The synthetic stand-in for CIFAR-100 (nst/dataset.hpp) and nst train's --data values.
#include <algorithm>
#include <cmath>

#include "nst/dataset.hpp"
#include "nst/error.hpp"
#include "shared/counter_rng.hpp"

namespace nst {

namespace {

constexpr double kPi = 3.14159265358979323846;

// Ten colours far apart in RGB.
constexpr std::uint8_t kColours[10][3] = {{220, 40, 40},  {40, 200, 60},  {50, 80, 230},   {230, 220, 50},
                                          {50, 210, 220}, {210, 60, 200}, {240, 140, 30},  {120, 60, 170},
                                          {200, 200, 200}, {130, 90, 50}};

// Image i of a set: class (i · 37 + seed) mod 100, so that every class appears; stripes of period 8 px at
// angle 18° · (c mod 10) with a random phase, shading the class colour between 35 % and 100 %, plus
// uniform(−25, 25) noise per pixel and channel.
void draw(std::uint64_t seed, std::uint64_t stream, std::size_t i, std::uint8_t* pixels, std::uint8_t* label) {
    const int c = static_cast<int>((i * 37 + seed) % 100);
    *label = static_cast<std::uint8_t>(c);
    const double angle = kPi / 10.0 * (c % 10), phase = 2.0 * kPi * rng::uniform24(rng::hash(seed, stream, i));
    const std::uint8_t* colour = kColours[c / 10];
    for (int y = 0; y < 32; ++y)
        for (int x = 0; x < 32; ++x) {
            const double t = (x * std::cos(angle) + y * std::sin(angle)) * 2.0 * kPi / 8.0 + phase;
            const double shade = 0.35 + 0.65 * (0.5 + 0.5 * std::sin(t));
            for (int ch = 0; ch < 3; ++ch) {
                const std::size_t at = (std::size_t(ch) * 32 + std::size_t(y)) * 32 + std::size_t(x);
                const double noise = 50.0 * (rng::uniform24(rng::hash(seed, stream + 1, i * 3072 + at)) - 0.5);
                pixels[at] = static_cast<std::uint8_t>(std::clamp(std::lround(colour[ch] * shade + noise), 0l, 255l));
            }
        }
}

ImageSet synthetic_set(int count, std::uint64_t seed, std::uint64_t stream, const char* part) {
    ImageSet set;
    set.count = count;
    set.source = "synthetic " + std::string(part) + " (" + std::to_string(count) + " images, seed " + std::to_string(seed) + ")";
    set.pixels.resize(std::size_t(count) * set.image_bytes());
    set.labels.resize(std::size_t(count));
    for (std::size_t i = 0; i < std::size_t(count); ++i) draw(seed, stream, i, set.pixels.data() + i * set.image_bytes(), &set.labels[i]);
    return set;
}

}  // namespace

Dataset synthetic_cifar(int train_count, int test_count, std::uint64_t seed) {
    if (train_count < 1 || test_count < 0 || train_count > 1000000 || test_count > 1000000)
        throw Error("synthetic data: " + std::to_string(train_count) + " training and " + std::to_string(test_count) +
                    " test images (1 to 1,000,000 training images)");
    return {synthetic_set(train_count, seed, 10, "train"), synthetic_set(test_count, seed, 20, "test")};
}

Dataset load_dataset(const std::string& spec, std::uint64_t seed) {
    const std::string prefix = "synthetic";
    if (spec.compare(0, prefix.size(), prefix) != 0) return load_cifar100(spec);
    if (spec == prefix) return synthetic_cifar(5000, 1000, seed);
    const std::string count = spec.size() > prefix.size() + 1 && spec[prefix.size()] == ':' ? spec.substr(prefix.size() + 1) : "";
    if (count.empty() || count.size() > 7 || count.find_first_not_of("0123456789") != std::string::npos)
        throw Error("--data '" + spec + "': expected synthetic, synthetic:N (N images, 1 to 1000000) or a CIFAR-100 folder");
    const int n = std::stoi(count);
    return synthetic_cifar(n, std::max(1, n / 5), seed);
}

}  // namespace nst
