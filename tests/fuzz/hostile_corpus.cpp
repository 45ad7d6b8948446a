// nst_hostile_corpus: thousands of mutated files (tests/fuzz/mutate.cpp, fixed seed) through libnst's
// readers, each in its own forked process so a crash, a sanitizer report, a hang or a memory bomb is
// seen and counted, not fatal to the run. Prints the counts docs/reliability.md quotes; exits 1 if any file
// crashed, reported, escaped with another exception, gave a message that is not one line naming the
// file, or ran over the time or memory limit.
//   nst_hostile_corpus KIND SEED_DIR COUNT WORK_DIR [RNG_SEED]   KIND: weights | image | cifar
//   nst_hostile_corpus seeds OUT_DIR                              writes the committed seed corpus
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "mutate.hpp"
#include "nst/error.hpp"
#include "readers.hpp"
#include "seeds.hpp"

namespace {

namespace fs = std::filesystem;
using nst::fuzz::Bytes;
using nst::fuzz::Kind;

constexpr double kTimeLimitSeconds = 10.0;
constexpr long kMemoryLimitKiB = 1024L * 1024;  // 1 GiB of resident memory, ASan's shadow included
enum Outcome { kAccepted = 10, kRefused = 11, kOtherException = 12, kBadMessage = 13 };

Bytes read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), {});
}

// The child: reads the file, exits with its Outcome (a crash or a sanitizer report exits otherwise).
[[noreturn]] void child(Kind kind, const std::string& path, const std::string& err_path) {
    std::freopen(err_path.c_str(), "w", stderr);
    alarm(60);  // a hang ends as SIGALRM, counted over the time limit
    int outcome = kAccepted;
    try {
        nst::fuzz::read_as(kind, path);
    } catch (const nst::Error& e) {
        const std::string m = e.what();
        outcome = (m.find('\n') == std::string::npos && m.find("'" + path + "'") != std::string::npos) ? kRefused
                                                                                                      : kBadMessage;
        if (outcome == kBadMessage) std::fprintf(stderr, "message: %s\n", m.c_str());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "exception: %s\n", e.what());
        outcome = kOtherException;
    }
    std::exit(outcome);  // through atexit: LeakSanitizer checks here
}

struct Tally {
    int files = 0, accepted = 0, refused = 0, failed = 0, over_time = 0, over_memory = 0;
    double slowest = 0;
    long largest_kib = 0;
    std::map<std::string, int> kinds;
};

void run_one(Kind kind, const Bytes& mutant, const std::string& ext, const fs::path& work, int index, Tally& t) {
    const std::string path = (work / ("mutant" + ext)).string(), err = (work / "child.err").string();
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(mutant.data()), std::streamsize(mutant.size()));
    std::fflush(stdout);  // or the child would print the parent's buffered lines again
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    if (pid == 0) child(kind, path, err);
    int status = 0;
    rusage ru{};
    wait4(pid, &status, 0, &ru);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ++t.files;
    t.slowest = std::max(t.slowest, seconds);
    t.largest_kib = std::max(t.largest_kib, ru.ru_maxrss);
    const bool over_time = seconds > kTimeLimitSeconds, over_memory = ru.ru_maxrss > kMemoryLimitKiB;
    t.over_time += over_time;
    t.over_memory += over_memory;
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (code == kAccepted) ++t.accepted;
    if (code == kRefused) ++t.refused;
    if ((code != kAccepted && code != kRefused) || over_time || over_memory) {
        ++t.failed;
        const fs::path keep = work / ("failed-" + std::to_string(index) + ext);
        fs::copy_file(path, keep, fs::copy_options::overwrite_existing);
        std::printf("FAILED %s: %s %d, %.1f s, %ld MiB; its stderr:\n", keep.c_str(),
                    WIFSIGNALED(status) ? "signal" : "exit", WIFSIGNALED(status) ? WTERMSIG(status) : code, seconds,
                    ru.ru_maxrss / 1024);
        std::ifstream e(err);
        std::string line;
        for (int n = 0; n < 30 && std::getline(e, line); ++n) std::printf("  %s\n", line.c_str());
    }
}

int run_corpus(const std::string& kind_name, const fs::path& seeds, int count, const fs::path& work, unsigned long rng_seed) {
    const Kind kind = kind_name == "weights" ? Kind::Weights : kind_name == "image" ? Kind::Image : Kind::Cifar;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(seeds)) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    if (files.empty()) {
        std::fprintf(stderr, "nst_hostile_corpus: no seed files in %s\n", seeds.c_str());
        return 2;
    }
    fs::create_directories(work);
    std::mt19937_64 rng(rng_seed);
    Tally t;
    for (int i = 0; i < count; ++i) {
        const fs::path& seed = files[std::size_t(i) % files.size()];
        std::string how;
        const Bytes mutant = nst::fuzz::mutate(read_file(seed), rng, kind == Kind::Weights, &how);
        ++t.kinds[how.rfind("inflated-", 0) == 0 ? "inside a compressed variable" : how];
        run_one(kind, mutant, seed.extension().string(), work, i, t);
    }
    std::printf("%s: %d mutated files from %zu seeds (rng seed %lu): %d refused with one line naming the file, %d "
                "accepted, %d failed (crash, sanitizer report, other exception or message), %d over %.0f s, %d over "
                "%ld MiB; slowest %.2f s, largest %ld MiB resident\n",
                kind_name.c_str(), t.files, files.size(), rng_seed, t.refused, t.accepted, t.failed, t.over_time,
                kTimeLimitSeconds, t.over_memory, kMemoryLimitKiB / 1024, t.slowest, t.largest_kib / 1024);
    std::printf("%s: mutations:", kind_name.c_str());
    for (const auto& [how, n] : t.kinds) std::printf(" %s %d;", how.c_str(), n);
    std::printf("\n");
    return t.failed == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 3 && std::string(argv[1]) == "seeds") {
        nst::fuzz::write_seeds(argv[2]);
        return 0;
    }
    const std::string kind = argc >= 5 ? argv[1] : "";
    if (kind != "weights" && kind != "image" && kind != "cifar") {
        std::fprintf(stderr, "usage: nst_hostile_corpus weights|image|cifar SEED_DIR COUNT WORK_DIR [RNG_SEED]\n"
                             "       nst_hostile_corpus seeds OUT_DIR\n");
        return 2;
    }
    return run_corpus(kind, argv[2], std::atoi(argv[3]), argv[4], argc >= 6 ? std::stoul(argv[5]) : 1);
}
