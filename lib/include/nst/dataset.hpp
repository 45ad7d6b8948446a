// Image classification data for nst train: CIFAR-100's binary version (the data Keras's
// cifar100.load_data() returns, as https://www.cs.toronto.edu/~kriz/cifar.html distributes it) and a
// synthetic stand-in whose classes can be learnt, for machines without the data set.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nst {

// `count` RGB images of size x size pixels, stored as CIFAR stores them: per image the R plane, then G,
// then B, each row-major (so an image is already the network's 3 x size x size input); one label each.
struct ImageSet {
    int count = 0;
    int size = 32;
    int classes = 100;
    std::vector<std::uint8_t> pixels;  // count x 3 x size x size
    std::vector<std::uint8_t> labels;  // count, each < classes
    std::string source;                // the file, or "synthetic:N seed S"
    std::size_t image_bytes() const noexcept { return std::size_t(3) * size * size; }
};

struct Dataset {
    ImageSet train;
    ImageSet test;
};

// One CIFAR-100 binary file: records of 3074 bytes (coarse label, fine label, 3072 pixel bytes); the fine
// labels (100 classes) are kept. Throws nst::Error naming the file for a missing or unreadable file, a size
// that is not a positive multiple of 3074 bytes, or a label out of range (coarse >= 20, fine >= 100).
ImageSet read_cifar100_file(const std::string& path);
// DIR/train.bin and DIR/test.bin.
Dataset load_cifar100(const std::string& dir);
// Writes a set in the same format (coarse label = fine / 5), atomically: test fixtures, and the synthetic
// set for other tools. Takes 32x32 images of at most 100 classes.
void write_cifar100_file(const std::string& path, const ImageSet& set);

// A stand-in with CIFAR-100's shape whose class shows in the picture: class c has one of ten colours (c / 10)
// and stripes at one of ten orientations (c % 10), each image with its own stripe phase and uniform noise.
// Seeded: the same arguments give the same pixels everywhere. Labelled "synthetic" wherever it is reported.
Dataset synthetic_cifar(int train_count, int test_count, std::uint64_t seed);

// nst train's --data: "synthetic" (5,000 training and 1,000 test images), "synthetic:N" (N and N/5), or a
// folder holding CIFAR-100's train.bin and test.bin. nst::Error for a malformed value.
Dataset load_dataset(const std::string& spec, std::uint64_t seed);

}  // namespace nst
