// What `nst train` shows and writes while it runs, in Keras's fit wording: "Epoch 1/5", then a progress bar
// per epoch ("782/782 [====] - 45s 57ms/step - loss: 3.9120 - accuracy: 0.1010 - val_loss: ... -
// val_accuracy: ..."), live on a terminal and one line per epoch otherwise; and the --log CSV of every step.
#pragma once

#include <fstream>
#include <memory>
#include <string>

#include "nst/atomic_file.hpp"
#include "nst/train.hpp"

namespace nst::app {

class TrainProgress {
public:
    // log_path "": no log. The log is written to a temporary file and renamed by finish().
    explicit TrainProgress(const std::string& log_path);
    void step(const StepReport& r);
    void epoch(const EpochReport& r);
    void end_line();
    void finish();  // commits the log (nst::Error if it could not be written)

private:
    std::string bar(int step, int steps) const;
    bool terminal_;
    std::unique_ptr<AtomicFile> log_file_;
    std::ofstream log_;
    bool line_open_ = false;
};

}  // namespace nst::app
