// Keras's fit loop (nst/train.hpp): epochs of shuffled batches, running means, the test set after each epoch.
#include <chrono>
#include <cmath>

#include "nst/error.hpp"

#include "nst/train.hpp"
#include "shared/counter_rng.hpp"

namespace nst {

std::vector<std::uint32_t> epoch_order(int count, std::uint64_t seed, int epoch, bool shuffle) {
    std::vector<std::uint32_t> order(static_cast<std::size_t>(std::max(count, 0)));
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::uint32_t>(i);
    if (!shuffle) return order;
    for (std::size_t i = order.size(); i > 1; --i) {  // Fisher-Yates, j uniform in [0, i)
        const std::size_t j = static_cast<std::size_t>(rng::uniform24(rng::hash(seed, 1000 + std::uint64_t(epoch), i)) * double(i));
        std::swap(order[i - 1], order[std::min(j, i - 1)]);
    }
    return order;
}

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// One epoch's steps; false when a callback or --steps stopped the run.
bool run_epoch(ResNetTrainer& trainer, const ImageSet& train, int epoch, const FitCallbacks& callbacks, EpochReport& report,
               FitResult& result) {
    const TrainOptions& o = trainer.options();
    const std::vector<std::uint32_t> order = epoch_order(train.count, o.seed, epoch, o.shuffle);
    const int steps = (train.count + o.batch - 1) / o.batch;
    const auto start = std::chrono::steady_clock::now();
    double loss_sum = 0.0, correct = 0.0, seen = 0.0;
    for (int s = 0; s < steps; ++s) {
        const std::size_t first = std::size_t(s) * std::size_t(o.batch);
        const int count = static_cast<int>(std::min<std::size_t>(std::size_t(o.batch), order.size() - first));
        StepReport r;
        r.batch = trainer.train_step(train, order, first, count);
        if (!std::isfinite(r.batch.loss))
            throw Error("the loss became " + std::string(std::isnan(r.batch.loss) ? "NaN" : "infinite") + " at step " +
                        std::to_string(result.steps + 1) + " (epoch " + std::to_string(epoch) +
                        "): training diverged; a smaller learning rate may help");
        loss_sum += double(r.batch.loss) * count;
        correct += double(r.batch.accuracy) * count;
        seen += count;
        r.epoch = epoch, r.epochs = o.epochs, r.step = s + 1, r.steps = steps, r.total_step = ++result.steps;
        r.mean_loss = loss_sum / seen, r.mean_accuracy = correct / seen, r.epoch_seconds = seconds_since(start);
        report.steps = s + 1, report.loss = r.mean_loss, report.accuracy = r.mean_accuracy;
        const bool limit = o.steps > 0 && result.steps >= o.steps;
        if ((callbacks.on_step && !callbacks.on_step(r)) || limit) {
            result.stopped = !limit;
            report.seconds = seconds_since(start);
            return false;
        }
    }
    report.seconds = seconds_since(start);
    return true;
}

}  // namespace

FitResult fit(ResNetTrainer& trainer, const Dataset& data, const FitCallbacks& callbacks) {
    const TrainOptions& o = trainer.options();
    if (data.train.count % o.batch != 0) trainer.prepare(data.train.count % o.batch);
    if (data.test.count % o.batch != 0) trainer.prepare(data.test.count % o.batch);
    FitResult result;
    for (int epoch = 1; epoch <= o.epochs; ++epoch) {
        EpochReport report;
        report.epoch = epoch, report.epochs = o.epochs;
        const bool completed = run_epoch(trainer, data.train, epoch, callbacks, report, result);
        if (completed) result.epochs = epoch;
        report.last = !completed || epoch == o.epochs;
        if (!result.stopped && data.test.count > 0) report.test = trainer.evaluate(data.test);
        if (callbacks.on_epoch && !callbacks.on_epoch(report)) result.stopped = true;
        if (report.last || result.stopped) break;
    }
    return result;
}

}  // namespace nst
