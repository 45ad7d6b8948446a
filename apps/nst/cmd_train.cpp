// nst train: the reference notebook's second cell (Keras's ResNet-50 trained on CIFAR-100 with Adam) on
// libnst's own kernels. Flags are checked and the data loaded before any work; progress is Keras's fit
// output; weights are saved after every epoch and at the end (also after --steps or Ctrl-C).
#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "commands.hpp"
#include "nst/atomic_file.hpp"
#include "nst/device.hpp"
#include "nst/error.hpp"
#include "nst/train.hpp"
#include "open_backend.hpp"
#include "stop_signals.hpp"
#include "train_progress.hpp"

namespace nst::app {

namespace {

struct TrainFlags {
    TrainOptions options;
    std::string data, optimizer = "adam", init_weights, save_weights, log, preset;
    std::string device = "auto", precision = "fp32";
    bool no_shuffle = false, summary = false, autotune = false, evaluate = false;
};

void add_train_flags(CLI::App& cmd, TrainFlags& f) {
    cmd.add_option("--data", f.data, "A folder with CIFAR-100's train.bin and test.bin, or synthetic[:N] (a stand-in)");
    cmd.add_option("--epochs", f.options.epochs, "Passes over the training set")->capture_default_str();
    cmd.add_option("--batch", f.options.batch, "Images per step (the last batch of an epoch may be short)")
        ->capture_default_str();
    cmd.add_option("--optimizer", f.optimizer, "adam (Keras's: lr 1e-3, epsilon 1e-7) or sgd")
        ->check(CLI::IsMember({"adam", "sgd"}))
        ->capture_default_str();
    cmd.add_option("--lr", f.options.lr, "Learning rate (default: 0.001 for adam, 0.01 for sgd, Keras's)");
    cmd.add_option("--momentum", f.options.momentum, "SGD's momentum (Keras's SGD; default 0)");
    cmd.add_option("--seed", f.options.seed, "Seed of the initial weights and the shuffling")->capture_default_str();
    cmd.add_flag("--no-shuffle", f.no_shuffle, "Take batches in file order");
    cmd.add_option("--steps", f.options.steps, "Stop after N steps in all (0: every epoch)")->capture_default_str();
    cmd.add_option("--init-weights", f.init_weights, "Start from these weights (MAT, Keras names and order)");
    cmd.add_option("--save-weights", f.save_weights, "Save the weights here after every epoch and at the end (MAT)");
    cmd.add_option("--log", f.log, "Write step,epoch,loss,accuracy of every step to this CSV file");
    cmd.add_option("--device", f.device, "auto, cuda or cpu")->check(CLI::IsMember({"auto", "cuda", "cpu"}))->capture_default_str();
    cmd.add_option("--precision", f.precision, "fp32 (strict) or tf32 (tensor cores, CUDA only)")
        ->check(CLI::IsMember({"fp32", "tf32"}))
        ->capture_default_str();
    cmd.add_flag("--autotune", f.autotune, "CUDA: time cuDNN's algorithms per convolution (default: heuristics)");
    cmd.add_option("--preset", f.preset, "notebook: the notebook's cell exactly (flags given override it)")
        ->check(CLI::IsMember({"notebook"}));
    cmd.add_flag("--evaluate", f.evaluate,
                 "Only evaluate the weights (--init-weights, or the seeded start) on the test set, as Keras's "
                 "model.evaluate; --save-weights then writes them unchanged");
    cmd.add_flag("--summary", f.summary, "Print the model's layers as Keras's model.summary() does (alone: then exit)");
}

// The options: the preset's (or the defaults), then every flag given; checked before any work.
TrainOptions build_options(const TrainFlags& f, const CLI::App& cmd) {
    auto given = [&](const char* flag) { return cmd.get_option(flag)->count() > 0; };
    TrainOptions o = f.preset == "notebook" ? notebook_train_options() : TrainOptions{};
    if (given("--epochs")) o.epochs = f.options.epochs;
    if (given("--batch")) o.batch = f.options.batch;
    if (given("--seed")) o.seed = f.options.seed;
    if (given("--steps")) o.steps = f.options.steps;
    o.optimizer = f.optimizer == "sgd" ? TrainOptimizer::Sgd : TrainOptimizer::Adam;
    if (o.optimizer == TrainOptimizer::Sgd) o.lr = 0.01f;
    if (given("--lr")) o.lr = f.options.lr;
    if (given("--momentum")) {
        if (o.optimizer != TrainOptimizer::Sgd) throw Error("--momentum applies to --optimizer sgd only");
        o.momentum = f.options.momentum;
    }
    o.shuffle = !f.no_shuffle;
    if (f.evaluate)
        for (const char* flag : {"--epochs", "--steps", "--log", "--no-shuffle"})
            if (given(flag)) throw Error(std::string(flag) + " applies to training, not to --evaluate");
    validate_train_options(o);
    return o;
}

// Each output can be written, and none is an input or the other output.
void check_paths(const TrainFlags& f) {
    for (const std::string* p : {&f.save_weights, &f.log})
        if (!p->empty()) check_writable_folder(*p);
    check_not_same_file(f.log, "--log", f.save_weights, "--save-weights");
    const std::filesystem::path data(f.data);
    for (const auto& [out, flag] : {std::pair{&f.save_weights, "--save-weights"}, std::pair{&f.log, "--log"}}) {
        check_not_same_file(*out, flag, f.init_weights, "--init-weights");
        for (const char* part : {"train.bin", "test.bin"})
            check_not_same_file(*out, flag, (data / part).string(), "the data set's");
    }
}

std::string describe(const TrainOptions& o) {
    char text[160];
    if (o.optimizer == TrainOptimizer::Adam)
        std::snprintf(text, sizeof text, "Adam (lr %g, beta %g/%g, epsilon %g)", o.lr, o.beta1, o.beta2, o.epsilon);
    else
        std::snprintf(text, sizeof text, "SGD (lr %g, momentum %g)", o.lr, o.momentum);
    return std::string(text) + ", batch " + std::to_string(o.batch) + ", " + std::to_string(o.epochs) + " epochs" +
           (o.steps > 0 ? ", at most " + std::to_string(o.steps) + " steps" : "") + (o.shuffle ? "" : ", no shuffling");
}

// Saves the weights when --save-weights was given (after every epoch: the end of a run is an epoch's end).
void save(const ResNetTrainer& t, const std::string& path) {
    if (!path.empty()) t.save_weights(path);
}

int run_training(ResNetTrainer& trainer, const Dataset& data, const TrainFlags& f) {
    TrainProgress progress(f.log);
    FitCallbacks callbacks;
    callbacks.on_step = [&](const StepReport& r) {
        progress.step(r);
        return !stop_requested().load();
    };
    callbacks.on_epoch = [&](const EpochReport& r) {
        progress.epoch(r);
        save(trainer, f.save_weights);
        return !stop_requested().load();
    };
    const FitResult result = fit(trainer, data, callbacks);
    progress.end_line();
    progress.finish();
    if (!f.save_weights.empty()) std::fprintf(stderr, "nst: wrote %s (%lld steps)\n", f.save_weights.c_str(), static_cast<long long>(result.steps));
    if (stop_requested()) {
        std::fprintf(stderr, "nst: %s after step %lld%s\n", stop_reason().c_str(), static_cast<long long>(result.steps),
                     f.save_weights.empty() ? "" : ": the weights are saved");
        return stop_exit_code();
    }
    return 0;
}

// Keras's model.evaluate: the test set in inference mode (the moving statistics), one line; the weights
// saved unchanged when asked.
int run_evaluation(ResNetTrainer& trainer, const Dataset& data, const TrainFlags& f) {
    const Evaluation e = trainer.evaluate(data.test);
    std::printf("%d test images - loss: %.4f - accuracy: %.4f\n", e.images, e.loss, e.accuracy);
    save(trainer, f.save_weights);
    if (!f.save_weights.empty()) std::fprintf(stderr, "nst: wrote %s (no step)\n", f.save_weights.c_str());
    return 0;
}

int train_command(const TrainFlags& f, const CLI::App& cmd) {
    install_stop_handlers();
    const TrainOptions o = build_options(f, cmd);
    const ResNetConfig config;
    if (f.summary) std::fputs(resnet50_summary(config).c_str(), stdout);
    if (f.data.empty()) {
        if (f.summary) return 0;
        throw Error("--data is required: a folder with CIFAR-100's train.bin and test.bin, or synthetic[:N]");
    }
    check_paths(f);
    const Dataset data = load_dataset(f.data, o.seed);
    std::unique_ptr<Backend> backend = open_backend(f.device, f.precision, f.autotune);
    ResNetTrainer trainer(*backend, config, o);
    if (!f.init_weights.empty()) trainer.load_weights(f.init_weights);
    std::fprintf(stderr, "nst: ResNet-50 (%s parameters) on %s\n",
                 with_thousands_separators(resnet50_parameter_count(config).total).c_str(), backend->description().c_str());
    if (f.evaluate)
        std::fprintf(stderr, "nst: evaluating on %d test images from %s\n", data.test.count, data.train.source.c_str());
    else
        std::fprintf(stderr, "nst: %s; %d training and %d test images from %s\n", describe(o).c_str(), data.train.count,
                     data.test.count, data.train.source.c_str());
    return f.evaluate ? run_evaluation(trainer, data, f) : run_training(trainer, data, f);
}

}  // namespace

void add_train_command(CLI::App& app, Action& action) {
    auto f = std::make_shared<TrainFlags>();
    CLI::App* cmd = app.add_subcommand("train", "Train Keras's ResNet-50 on CIFAR-100 (the notebook's second cell)");
    cmd->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    add_train_flags(*cmd, *f);
    cmd->callback([&action, f, cmd] { action = [f, cmd] { return train_command(*f, *cmd); }; });
}

}  // namespace nst::app
