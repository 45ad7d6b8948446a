// Outputs: a failed write (a full disk, simulated with RLIMIT_FSIZE) leaves the previous file
// intact and no temporary behind; a symlink is written through; a device, FIFO or folder is never
// replaced; an output that is an input (same path, hard link or symlink) is refused.
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "../../support/mat_builder.hpp"
#include "nst/atomic_file.hpp"
#include "nst/error.hpp"
#include "nst/image.hpp"

namespace {

namespace fs = std::filesystem;
using nst::test::scratch_dir;

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

int entries(const std::string& dir) {
    return static_cast<int>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

// Limits the size of any file this process writes (the way a full disk fails a write: EFBIG instead of
// ENOSPC) for its lifetime; SIGXFSZ is ignored meanwhile, as nst does.
class FileSizeLimit {
public:
    explicit FileSizeLimit(rlim_t bytes) {
        getrlimit(RLIMIT_FSIZE, &saved_);
        old_handler_ = std::signal(SIGXFSZ, SIG_IGN);
        rlimit limited = saved_;
        limited.rlim_cur = bytes;
        setrlimit(RLIMIT_FSIZE, &limited);
    }
    ~FileSizeLimit() {
        setrlimit(RLIMIT_FSIZE, &saved_);
        std::signal(SIGXFSZ, old_handler_);
    }

private:
    rlimit saved_{};
    void (*old_handler_)(int) = nullptr;
};

nst::Image noise_image(int side) {
    nst::Image im;
    im.width = im.height = side;
    unsigned x = 12345;
    for (int i = 0; i < side * side * 3; ++i) {
        x = x * 1103515245u + 12345u;
        im.rgb.push_back(static_cast<std::uint8_t>(x >> 24));
    }
    return im;
}

}  // namespace

TEST_CASE("a write that fails keeps the previous file and leaves no temporary", "[reliability]") {
    const std::string dir = scratch_dir("atomic_full_disk");
    const std::string out = dir + "/out.png";
    nst::save_image(noise_image(8), out);
    const std::string before = read_text(out);
    REQUIRE(before.size() < 4096);
    for (const char* name : {"/out.png", "/out.jpg"}) {
        if (std::string(name) == "/out.jpg") nst::save_image(noise_image(8), dir + name);
        const std::string previous = read_text(dir + name);
        FileSizeLimit limit(4096);  // noise does not compress: a 128x128 image needs 49 KB
        CHECK_THROWS_WITH(nst::save_image(noise_image(128), dir + name),
                          Catch::StartsWith("cannot write '" + dir + name + "': File too large"));
        CHECK(read_text(dir + name) == previous);
    }
    CHECK(read_text(out) == before);
    CHECK(entries(dir) == 2);  // out.png and out.jpg, no .partial files
    {
        FileSizeLimit limit(100);
        const std::string big(1000, 'x');
        CHECK_THROWS_WITH(nst::write_file_atomically(dir + "/log.csv", big.data(), big.size()),
                          Catch::StartsWith("cannot write '" + dir + "/log.csv'"));
    }
    CHECK(entries(dir) == 2);
}

TEST_CASE("a symlinked output is written through to its target; the link stays", "[reliability]") {
    const std::string dir = scratch_dir("atomic_symlink");
    fs::create_directories(dir + "/real");
    nst::save_image(noise_image(4), dir + "/real/target.png");
    fs::create_symlink("real/target.png", dir + "/link.png");
    nst::save_image(noise_image(6), dir + "/link.png");
    CHECK(fs::is_symlink(dir + "/link.png"));
    CHECK(nst::load_image(dir + "/real/target.png").width == 6);
    fs::create_symlink("real/new.png", dir + "/dangling.png");  // a dangling link creates its target
    nst::save_image(noise_image(5), dir + "/dangling.png");
    CHECK(fs::is_symlink(dir + "/dangling.png"));
    CHECK(nst::load_image(dir + "/real/new.png").width == 5);
}

TEST_CASE("devices, FIFOs and folders are never replaced by an output", "[reliability]") {
    const std::string dir = scratch_dir("atomic_special");
    CHECK_THROWS_WITH(nst::check_writable_folder("/dev/null"),
                      "cannot write '/dev/null': it is a device, not a regular file");
    REQUIRE(::mkfifo((dir + "/pipe.csv").c_str(), 0600) == 0);
    CHECK_THROWS_WITH(nst::check_writable_folder(dir + "/pipe.csv"),
                      "cannot write '" + dir + "/pipe.csv': it is a FIFO, not a regular file");
    const std::string text = "a,b\n";
    CHECK_THROWS_WITH(nst::write_file_atomically(dir + "/pipe.csv", text.data(), text.size()),
                      "cannot write '" + dir + "/pipe.csv': it is a FIFO, not a regular file");
    CHECK(fs::is_fifo(dir + "/pipe.csv"));
    fs::create_symlink("/dev/null", dir + "/null.csv");
    CHECK_THROWS_WITH(nst::check_writable_folder(dir + "/null.csv"),
                      "cannot write '" + dir + "/null.csv': it is a device, not a regular file");
    fs::create_directories(dir + "/folder.png");
    CHECK_THROWS_WITH(nst::check_writable_folder(dir + "/folder.png"),
                      "cannot write '" + dir + "/folder.png': it is a folder");
    CHECK(entries(dir) == 3);
}

TEST_CASE("an output that is an input is refused, by path, hard link or symlink", "[reliability]") {
    const std::string dir = scratch_dir("atomic_same_file");
    nst::save_image(noise_image(4), dir + "/content.png");
    fs::create_hard_link(dir + "/content.png", dir + "/hard.png");
    fs::create_symlink("content.png", dir + "/soft.png");
    const std::string msg = "' is the same file as --content '" + dir + "/content.png': refusing to overwrite it";
    for (const std::string& out : {dir + "/content.png", dir + "/./content.png", dir + "/hard.png", dir + "/soft.png"})
        CHECK_THROWS_WITH(nst::check_not_same_file(out, "--output", dir + "/content.png", "--content"),
                          "--output '" + out + msg);
    // Two outputs that do not exist yet but name the same file.
    CHECK_THROWS_WITH(nst::check_not_same_file(dir + "/x.csv", "--log", dir + "/../atomic_same_file/x.csv", "--output"),
                      Catch::Contains("is the same file as --output"));
    CHECK_NOTHROW(nst::check_not_same_file(dir + "/out.png", "--output", dir + "/content.png", "--content"));
    CHECK_NOTHROW(nst::check_not_same_file("", "--log", dir + "/content.png", "--content"));
}
