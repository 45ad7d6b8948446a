// What `nst transfer` shows and writes while it runs: a progress bar on a terminal or timestamped lines
// otherwise, the CSV log of every iteration's losses, and checkpoints, across every scale of a run.
#pragma once

#include <atomic>
#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "nst/atomic_file.hpp"
#include "nst/transfer.hpp"

namespace nst::app {

class Progress {
public:
    // log_path "": no log. The log is written to a temporary file and renamed by finish(). `columns`: the loss
    // terms shown and logged (nst::loss_columns of the transfer's options).
    Progress(std::string output, std::string log_path, int print_every, int save_every,
             const std::atomic<bool>& interrupted, std::vector<LossColumn> columns);

    // Before each scale: its tag ("scale 2/3 (512x384)  ", or "" for one scale); restarts the rate.
    void start_scale(std::string tag);
    // The per-iteration callback; false once an interrupt was asked for.
    bool operator()(StyleTransfer::Iteration& it, bool first_scale);
    // A tiled run's observer (StyleTransfer::on_tile): once an iteration has taken more than a few seconds,
    // shows which tile and pass it is at (on a terminal in the bar's line, otherwise a line every 10 s).
    void tile(int pass, int tile, int tiles);
    // After each scale: the steps it took (the log numbers rows by steps across scales).
    void end_scale(int steps);
    // Ends the bar's line on a terminal.
    void end_line() const;
    // Closes and commits the log (nst::Error if it could not be written).
    void finish();

    const std::string& last_checkpoint() const noexcept { return last_checkpoint_; }

private:
    void show(int i, int n, bool print);
    std::string terms(const char* format, const char* separator) const;  // the columns of shown_

    std::string output_, log_path_;
    int print_every_, save_every_;
    const std::atomic<bool>& interrupted_;
    bool terminal_;
    std::unique_ptr<AtomicFile> log_file_;
    std::ofstream log_;
    std::string last_checkpoint_;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
    std::vector<LossColumn> columns_;
    Losses shown_;
    int offset_ = 0;  // optimiser steps taken at earlier scales
    int current_ = 0;  // the iteration being computed (the last callback's index + 1)
    std::chrono::steady_clock::time_point iteration_start_ = start_, tile_shown_ = start_;
    std::string tag_;
};

}  // namespace nst::app
