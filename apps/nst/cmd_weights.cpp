// nst weights info FILE            what a MatConvNet VGG-19 file holds
// nst weights write-random OUT     the built-in random VGG-19 (or a narrower one) as a MatConvNet file
#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "commands.hpp"
#include "nst/weights.hpp"

namespace nst::app {

namespace {

struct WriteOptions {
    std::string path;
    std::uint64_t seed = 0;
    int channel_divisor = 1;
    std::string layout = "new";
    std::string container = "v5";
    int fc_divisor = 64;
};

double peak_memory_mib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux: kilobytes
}

struct InfoOptions {
    std::string path;
    bool check = false;
};

int info(const InfoOptions& o) {
    const WeightsFileInfo file = inspect_weights_file(o.path);
    std::fputs(format_weights_info(file).c_str(), stdout);
    if (!file.problem.empty()) return 1;  // the last line said why
    if (o.check) {
        const double before_mib = peak_memory_mib();
        const auto start = std::chrono::steady_clock::now();
        const VggWeights w = load_vgg19_mat(o.path, "pool5");
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::size_t parameters = 0;
        for (const ConvWeights& c : w.convs) parameters += c.filters.size() + c.bias.size();
        std::printf(
            "check:     all %zu convolutions load and validate: %.1f M parameters (%.0f MiB) in %.2f s; "
            "peak memory of the process %.0f MiB, %.0f MiB before loading\n",
            w.convs.size(), static_cast<double>(parameters) / 1e6, static_cast<double>(parameters) * 4 / 1048576.0,
            seconds, peak_memory_mib(), before_mib);
    }
    return 0;
}

int write_random(const WriteOptions& o) {
    MatWriteOptions options;
    options.layout = o.layout == "old" ? MatLayout::Old : MatLayout::New;
    options.container = o.container == "v73"               ? MatContainer::V73
                        : o.container == "v5-uncompressed" ? MatContainer::V5Uncompressed
                                                           : MatContainer::V5Compressed;
    options.fc_channel_divisor = o.fc_divisor;
    options.fc_seed = o.seed;
    write_vgg19_mat(o.path, random_vgg19(o.seed, "pool5", o.channel_divisor), options);
    std::printf("wrote %s: random VGG-19 (seed %llu, channels / %d), %s layout, %s\n", o.path.c_str(),
                static_cast<unsigned long long>(o.seed), o.channel_divisor, o.layout.c_str(), o.container.c_str());
    return 0;
}

}  // namespace

void add_weights_commands(CLI::App& app, Action& action) {
    CLI::App* weights = app.add_subcommand("weights", "Inspect or write VGG-19 weight files (MatConvNet .mat)");
    weights->require_subcommand(1);

    CLI::App* info =
        weights->add_subcommand("info", "Print a .mat file's format, layers with their shapes, and mean pixel");
    auto io = std::make_shared<InfoOptions>();
    info->add_option("FILE", io->path, "imagenet-vgg-verydeep-19.mat or a file in its layout")->required();
    info->add_flag("--check", io->check, "Also load and validate every convolution, as a run would, and time it");
    info->callback([&action, io] { action = [io] { return nst::app::info(*io); }; });

    CLI::App* write = weights->add_subcommand(
        "write-random", "Write the built-in random VGG-19 (He-initialised, seeded) in MatConvNet's layout");
    auto o = std::make_shared<WriteOptions>();
    write->add_option("OUT", o->path, "Output .mat file")->required();
    write->add_option("--seed", o->seed, "Seed of the weights (as in --weights random:SEED)")->capture_default_str();
    write->add_option("--channel-divisor", o->channel_divisor, "Divide VGG-19's channel counts by this (test networks)")
        ->check(CLI::IsMember({1, 2, 4, 8, 16, 32, 64}))
        ->capture_default_str();
    write->add_option("--layout", o->layout, "MatConvNet layout: new (beta17+) or old (beta16)")
        ->check(CLI::IsMember({"new", "old"}))
        ->capture_default_str();
    write
        ->add_option("--container", o->container,
                     "v5 (zlib-compressed, as MatConvNet ships it), v5-uncompressed or v73")
        ->check(CLI::IsMember({"v5", "v5-uncompressed", "v73"}))
        ->capture_default_str();
    write->add_option("--fc-divisor", o->fc_divisor, "Divide fc6-fc8's sizes by this (style transfer never reads them)")
        ->check(CLI::IsMember({1, 2, 4, 8, 16, 32, 64, 128, 256}))
        ->capture_default_str();
    write->callback([&action, o] { action = [o] { return write_random(*o); }; });
}

}  // namespace nst::app
