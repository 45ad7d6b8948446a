#include "progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>

#include "nst/error.hpp"
#include "nst/image.hpp"

namespace nst::app {

namespace {

std::string timestamp() {
    const std::time_t now = std::time(nullptr);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", std::localtime(&now));
    return text;
}

std::string checkpoint_path(const std::string& output, int iteration) {
    const std::filesystem::path p(output);
    return (p.parent_path() / (p.stem().string() + "_" + std::to_string(iteration) + p.extension().string())).string();
}

std::string duration(double seconds) {
    const long s = std::lround(std::max(0.0, seconds));
    char text[32];
    std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
    return text;
}

}  // namespace

Progress::Progress(std::string output, std::string log_path, int print_every, int save_every,
                   const std::atomic<bool>& interrupted, std::vector<LossColumn> columns)
    : output_(std::move(output)),
      log_path_(std::move(log_path)),
      print_every_(print_every),
      save_every_(save_every),
      interrupted_(interrupted),
      terminal_(isatty(fileno(stderr)) != 0),
      columns_(std::move(columns)) {
    if (log_path_.empty()) return;
    log_file_ = std::make_unique<AtomicFile>(log_path_);
    log_.open(log_file_->temp_path());
    if (!log_) throw Error("cannot write '" + log_path_ + "'");
    log_ << "iteration,total";
    for (const LossColumn& c : columns_) log_ << ',' << c.name;
    log_ << '\n';
}

void Progress::start_scale(std::string tag) {
    tag_ = std::move(tag);
    start_ = iteration_start_ = std::chrono::steady_clock::now();
    current_ = 0;
}

bool Progress::operator()(StyleTransfer::Iteration& it, bool first_scale) {
    const int i = it.index(), n = it.total(), global = offset_ + i;
    const bool print = i == n || (print_every_ > 0 && i % print_every_ == 0);
    const bool save = i > 0 && i < n && save_every_ > 0 && global % save_every_ == 0;
    const bool row = log_.is_open() && (i > 0 || first_scale);  // a later scale's start repeats a row
    if (row || print || save) {
        shown_ = it.losses();
        if (row) {
            log_ << global << ',' << shown_.total;
            for (const LossColumn& c : columns_) log_ << ',' << shown_.*c.value;
            log_ << '\n';
        }
    }
    show(i, n, print);
    if (save) {
        last_checkpoint_ = checkpoint_path(output_, global);
        save_image(it.image(), last_checkpoint_);
    }
    current_ = i + 1;
    iteration_start_ = std::chrono::steady_clock::now();
    return !interrupted_;
}

void Progress::tile(int pass, int tile, int tiles) {
    using std::chrono::duration;
    const auto now = std::chrono::steady_clock::now();
    if (duration<double>(now - iteration_start_).count() < 3.0) return;
    if (!terminal_ && duration<double>(now - tile_shown_).count() < 10.0) return;
    tile_shown_ = now;
    const char* what = pass == 1 ? "features and Gram matrices" : "gradients";
    if (terminal_)
        std::fprintf(stderr, "\r%siteration %d: tile %d/%d (%s)          ", tag_.c_str(), current_, tile + 1, tiles, what);
    else
        std::fprintf(stderr, "%s  %siteration %d: tile %d/%d (%s)\n", timestamp().c_str(), tag_.c_str(), current_,
                     tile + 1, tiles, what);
}

void Progress::show(int i, int n, bool print) {
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double rate = i > 0 ? i / elapsed : 0.0;
    if (terminal_) {
        const int bar = 24, filled = n > 0 ? bar * i / n : bar;
        std::fprintf(stderr, "\r%s[%s%s] %d/%d  %.2f it/s  ETA %s  loss %.4g (%s)   ", tag_.c_str(),
                     std::string(static_cast<std::size_t>(filled), '#').c_str(),
                     std::string(static_cast<std::size_t>(bar - filled), '.').c_str(), i, n, rate,
                     duration(rate > 0 ? (n - i) / rate : 0).c_str(), shown_.total, terms("%s %.4g", ", ").c_str());
    } else if (print) {
        std::fprintf(stderr, "%s  %siteration %d/%d  loss %.6g  %s  %.2f it/s\n", timestamp().c_str(), tag_.c_str(), i,
                     n, shown_.total, terms("%s %.6g", "  ").c_str(), rate);
    }
}

// Each column as `format` (name, value), joined by `separator`.
std::string Progress::terms(const char* format, const char* separator) const {
    std::string text;
    for (const LossColumn& c : columns_) {
        char term[64];
        std::snprintf(term, sizeof term, format, c.name, static_cast<double>(shown_.*c.value));
        text += (text.empty() ? "" : separator) + std::string(term);
    }
    return text;
}

void Progress::end_scale(int steps) {
    end_line();
    offset_ += steps;
}

void Progress::end_line() const {
    if (terminal_) std::fputc('\n', stderr);
}

void Progress::finish() {
    if (!log_file_) return;
    log_.close();
    if (!log_) throw Error("cannot write '" + log_path_ + "'");
    log_file_->commit();
    log_file_.reset();
}

}  // namespace nst::app
