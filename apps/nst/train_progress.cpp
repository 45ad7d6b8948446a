#include "train_progress.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>

#include "nst/error.hpp"

namespace nst::app {

namespace {

// Keras's ETA and duration wording: "45s", "1:05", "1:02:03".
std::string keras_time(double seconds) {
    const long s = std::lround(std::max(0.0, seconds));
    char text[32];
    if (s < 60)
        std::snprintf(text, sizeof text, "%lds", s);
    else if (s < 3600)
        std::snprintf(text, sizeof text, "%ld:%02ld", s / 60, s % 60);
    else
        std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
    return text;
}

std::string metrics(double loss, double accuracy) {
    char text[96];
    std::snprintf(text, sizeof text, " - loss: %.4f - accuracy: %.4f", loss, accuracy);
    return text;
}

}  // namespace

TrainProgress::TrainProgress(const std::string& log_path) : terminal_(isatty(fileno(stdout)) != 0) {
    if (log_path.empty()) return;
    log_file_ = std::make_unique<AtomicFile>(log_path);
    log_.open(log_file_->temp_path());
    if (!log_) throw Error("cannot write '" + log_path + "'");
    log_ << "step,epoch,loss,accuracy\n";
}

// "  10/782 [..............................]": Keras's 30-character bar, '>' at the head while running.
std::string TrainProgress::bar(int step, int steps) const {
    const int width = 30, done = steps > 0 ? step * width / steps : width;
    std::string b(std::size_t(width), '.');
    for (int i = 0; i < done; ++i) b[std::size_t(i)] = '=';
    if (done < width && done > 0) b[std::size_t(done - 1)] = '>';
    const int digits = static_cast<int>(std::to_string(steps).size());
    char head[64];
    std::snprintf(head, sizeof head, "%*d/%d [", digits, step, steps);
    return head + b + "]";
}

void TrainProgress::step(const StepReport& r) {
    if (log_file_) log_ << r.total_step << ',' << r.epoch << ',' << r.batch.loss << ',' << r.batch.accuracy << '\n';
    if (r.step == 1) std::printf("Epoch %d/%d\n", r.epoch, r.epochs);
    if (!terminal_) return;
    const double eta = r.epoch_seconds / r.step * (r.steps - r.step);
    std::printf("\r%s - ETA: %s%s", bar(r.step, r.steps).c_str(), keras_time(eta).c_str(),
                metrics(r.mean_loss, r.mean_accuracy).c_str());
    std::fflush(stdout);
    line_open_ = true;
}

void TrainProgress::epoch(const EpochReport& r) {
    const double per_step_ms = r.steps > 0 ? 1000.0 * r.seconds / r.steps : 0.0;
    std::string line = bar(r.steps, r.steps) + " - " + keras_time(r.seconds) + " " +
                       std::to_string(std::lround(per_step_ms)) + "ms/step" + metrics(r.loss, r.accuracy);
    if (r.test.images > 0) {
        char val[96];
        std::snprintf(val, sizeof val, " - val_loss: %.4f - val_accuracy: %.4f", r.test.loss, r.test.accuracy);
        line += val;
    }
    std::printf("%s%s\n", terminal_ ? "\r\033[K" : "", line.c_str());
    std::fflush(stdout);
    line_open_ = false;
}

void TrainProgress::end_line() {
    if (line_open_) std::printf("\n");
    line_open_ = false;
}

void TrainProgress::finish() {
    if (!log_file_) return;
    log_.close();
    if (!log_) throw Error("cannot write '" + log_file_->final_path() + "'");
    log_file_->commit();
}

}  // namespace nst::app
