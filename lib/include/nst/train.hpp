// Training ResNet-50 (nst/resnet.hpp) on a backend: the notebook's second cell (Keras's model.fit with Adam,
// sparse categorical cross-entropy and accuracy). ResNetTrainer holds the network, its parameters and the
// optimiser's state on the backend and runs one step at a time; fit() is Keras's loop over epochs.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "nst/backend.hpp"
#include "nst/dataset.hpp"
#include "nst/resnet.hpp"

namespace nst {

enum class TrainOptimizer { Adam, Sgd };

// The defaults are the notebook's cell: epochs=5, batch_size=64, optimizer="adam" (Keras's Adam: lr 1e-3,
// β 0.9/0.999, ε 1e-7 added to the uncorrected √v: AdamFlavor::TensorFlow1).
struct TrainOptions {
    int epochs = 5;
    int batch = 64;
    TrainOptimizer optimizer = TrainOptimizer::Adam;
    float lr = 1e-3f;
    float momentum = 0.0f;  // SGD only (Keras's SGD: velocity = momentum·velocity − lr·g)
    float beta1 = 0.9f;
    float beta2 = 0.999f;
    float epsilon = 1e-7f;
    std::uint64_t seed = 0;  // the initial weights and the shuffling
    bool shuffle = true;     // false: batches in file order
    std::int64_t steps = 0;  // > 0: stop after this many steps in all
};

// OptionError naming the first bad field: epochs 1 to 100000, batch 1 to 4096, lr finite and > 0, momentum
// in [0, 1), betas in [0, 1), epsilon > 0, steps >= 0.
void validate_train_options(const TrainOptions& options);

// The notebook's cell exactly (tests/lib/train/test_train.cpp pins each value): TrainOptions{}'s defaults today,
// kept apart so that a change of defaults cannot change the preset.
TrainOptions notebook_train_options();

// Bytes of backend memory a trainer with these options holds: the parameter, gradient, optimiser and
// statistics arenas, the activations of a batch, the backward's buffers and the convolutions' workspace
// (what the CPU backend measures as its peak after a step, exactly: tests/lib/train/test_train.cpp).
std::size_t estimate_training_memory(Backend& backend, const ResNetConfig& config, const TrainOptions& options);

struct StepResult {
    float loss = 0.0f;      // the batch's mean cross-entropy, before the update
    float accuracy = 0.0f;  // the batch's fraction of correct predictions, before the update
};

struct Evaluation {
    double loss = 0.0;
    double accuracy = 0.0;
    int images = 0;
};

class ResNetTrainer {
public:
    // Allocates everything for batches of up to options.batch images and initialises the weights as Keras
    // does (seeded with options.seed). Throws nst::Error / OptionError before allocating on bad options or
    // when the estimate exceeds the backend's available memory.
    ResNetTrainer(Backend& backend, const ResNetConfig& config, const TrainOptions& options);
    ~ResNetTrainer();
    ResNetTrainer(const ResNetTrainer&) = delete;
    ResNetTrainer& operator=(const ResNetTrainer&) = delete;

    const ResNetSpec& spec() const;
    const TrainOptions& options() const;
    Backend& backend() const;
    std::int64_t steps_done() const;  // optimiser steps so far
    // Plans the convolutions of a batch of `count` images (a short last batch), so that no step plans.
    void prepare(int count);

    // Weight files: one MAT variable per tensor under its Keras name in Keras's order (docs/usage.md). Loading
    // checks every tensor first and changes nothing on error; saving is atomic.
    void load_weights(const std::string& path);
    void save_weights(const std::string& path) const;

    // One optimisation step on `count` (1 to the batch size) images of `set` from position `first` of
    // `order` (indices into the set): forward with the batch's statistics, loss, backward, update. Returns the
    // loss and accuracy measured before the update (the one wait of a step).
    StepResult train_step(const ImageSet& set, const std::vector<std::uint32_t>& order, std::size_t first, int count);
    // The same without waiting for the loss (nst-bench): the batch comes from the backend buffers as they are.
    void train_step_in_place(int count);
    // Inference-mode loss and accuracy over a whole set, in batches (the moving statistics).
    Evaluation evaluate(const ImageSet& set);

    // For tests: the loss of a batch and every parameter's gradient (host copies), without an update; and
    // the parameter arenas as host vectors (trainable in layout order, then the moving statistics).
    float loss_and_gradients(const ImageSet& set, const std::vector<std::uint32_t>& order, std::size_t first, int count,
                             std::vector<float>* gradients);
    std::vector<float> trainable_parameters() const;
    void set_trainable_parameters(const std::vector<float>& values);
    std::vector<float> moving_statistics() const;
    // The tensors' Keras names, offsets and sizes in trainable_parameters() / moving_statistics().
    struct TensorInfo {
        std::string name;
        bool trainable;
        std::size_t offset, size;
    };
    std::vector<TensorInfo> tensors() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// One line of fit()'s progress: the step just done and the epoch's running means (Keras's progress bar).
struct StepReport {
    int epoch = 0;       // 1-based
    int epochs = 0;
    int step = 0;        // 1-based within the epoch
    int steps = 0;       // steps in this epoch
    std::int64_t total_step = 0;
    StepResult batch;    // this step's batch, before its update
    double mean_loss = 0.0;      // the epoch so far, weighted by images
    double mean_accuracy = 0.0;
    double epoch_seconds = 0.0;  // since the epoch began
};

struct EpochReport {
    int epoch = 0;
    int epochs = 0;
    int steps = 0;
    double loss = 0.0;       // the epoch's mean training loss and accuracy
    double accuracy = 0.0;
    double seconds = 0.0;
    Evaluation test;         // on the test set with the moving statistics (images 0: no test set)
    bool last = false;       // no epoch follows (the last one, or --steps reached)
};

// Return false to stop after this step / epoch (Ctrl-C).
struct FitCallbacks {
    std::function<bool(const StepReport&)> on_step;
    std::function<bool(const EpochReport&)> on_epoch;
};

struct FitResult {
    std::int64_t steps = 0;
    int epochs = 0;     // epochs completed
    bool stopped = false;  // a callback asked to stop
};

// Keras's fit: per epoch, a fresh seeded shuffle (or file order), batches of options.batch with a short last
// one (50,000 / 64: 782 steps), then the test set evaluated with the moving statistics; stops after
// options.steps steps when that is set. A loss that becomes NaN or infinite stops it with nst::Error naming
// the step (Keras's TerminateOnNaN).
FitResult fit(ResNetTrainer& trainer, const Dataset& data, const FitCallbacks& callbacks);

// Epoch `epoch`'s order of `count` images: a seeded permutation (Fisher-Yates on a counter-based generator),
// or 0, 1, ... without shuffling.
std::vector<std::uint32_t> epoch_order(int count, std::uint64_t seed, int epoch, bool shuffle);

}  // namespace nst
