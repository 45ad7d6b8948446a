// CIFAR-100's binary files (read, written, every error named) and the synthetic stand-in.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "../../support/mat_builder.hpp"
#include "nst/dataset.hpp"
#include "nst/error.hpp"

using namespace nst;
using namespace nst::test;

namespace {

// `count` records written byte by byte as the CIFAR-100 page describes them: coarse, fine, 3072 pixels.
void write_records(const std::string& path, int count, int bad_record = -1) {
    std::ofstream f(path, std::ios::binary);
    for (int i = 0; i < count; ++i) {
        f.put(static_cast<char>(i % 20));
        f.put(static_cast<char>(i == bad_record ? 100 : (i * 7) % 100));
        for (int p = 0; p < 3072; ++p) f.put(static_cast<char>((i + p) % 256));
    }
}

}  // namespace

TEST_CASE("CIFAR-100 records are read as the format describes: fine labels, R, G, B planes", "[dataset]") {
    const std::string dir = scratch_dir("cifar_read");
    write_records(dir + "/train.bin", 5);
    write_records(dir + "/test.bin", 2);
    const Dataset d = load_cifar100(dir);
    CHECK(d.train.count == 5);
    CHECK(d.test.count == 2);
    CHECK(d.train.labels == std::vector<std::uint8_t>{0, 7, 14, 21, 28});
    CHECK(int(d.train.pixels[3 * 3072 + 1000]) == (3 + 1000) % 256);  // image 3, R plane, row 31, column 8
    // write_cifar100_file gives back the same bytes.
    write_cifar100_file(dir + "/again.bin", d.train);
    const ImageSet again = read_cifar100_file(dir + "/again.bin");
    CHECK(again.pixels == d.train.pixels);
    CHECK(again.labels == d.train.labels);
}

TEST_CASE("bad CIFAR-100 files are named with what is wrong", "[dataset]") {
    const std::string dir = scratch_dir("cifar_bad");
    CHECK_THROWS_WITH(read_cifar100_file(dir + "/none.bin"), Catch::Contains("none.bin': no such file"));
    CHECK_THROWS_WITH(read_cifar100_file(dir), Catch::Contains("is a folder"));
    write_records(dir + "/short.bin", 2);
    std::filesystem::resize_file(dir + "/short.bin", 3074 * 2 - 1);
    CHECK_THROWS_WITH(read_cifar100_file(dir + "/short.bin"), Catch::Contains("6147 bytes, not a positive multiple"));
    std::ofstream(dir + "/empty.bin").close();
    CHECK_THROWS_WITH(read_cifar100_file(dir + "/empty.bin"), Catch::Contains("0 bytes"));
    write_records(dir + "/label.bin", 4, 2);
    CHECK_THROWS_WITH(read_cifar100_file(dir + "/label.bin"), Catch::Contains("record 2 has coarse label 2 and fine label 100"));
    CHECK_THROWS_WITH(load_cifar100(dir + "/nowhere"), Catch::Contains("no such folder"));
    write_records(dir + "/train.bin", 1);
    CHECK_THROWS_WITH(load_cifar100(dir), Catch::Contains("test.bin': no such file"));
}

TEST_CASE("synthetic data: seeded, every class present, the class visible in the colour", "[dataset]") {
    const Dataset a = synthetic_cifar(1000, 200, 4), b = synthetic_cifar(1000, 200, 4);
    CHECK(a.train.pixels == b.train.pixels);
    CHECK(a.train.labels == b.train.labels);
    CHECK(synthetic_cifar(1000, 200, 5).train.pixels != a.train.pixels);
    std::vector<int> per_class(100, 0);
    for (auto l : a.train.labels) ++per_class[l];
    CHECK(*std::min_element(per_class.begin(), per_class.end()) == 10);
    // Mean red of class 0 (red) against class 20 (blue).
    auto mean_red = [&](int c) {
        double s = 0;
        int n = 0;
        for (int i = 0; i < a.train.count; ++i)
            if (a.train.labels[std::size_t(i)] == c)
                for (int p = 0; p < 1024; ++p) s += a.train.pixels[std::size_t(i) * 3072 + std::size_t(p)], ++n;
        return s / n;
    };
    CHECK(mean_red(0) > mean_red(20) + 80);
    CHECK(load_dataset("synthetic:50", 1).train.count == 50);
    CHECK(load_dataset("synthetic:50", 1).test.count == 10);
    CHECK(load_dataset("synthetic", 1).train.count == 5000);
    CHECK_THROWS_WITH(load_dataset("synthetic:x", 1), Catch::Contains("expected synthetic, synthetic:N"));
    CHECK_THROWS_WITH(load_dataset("synthetic:0", 1), Catch::Contains("0 training"));
}
