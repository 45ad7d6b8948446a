// nst batch's work on one rank: the inputs of its shard checked (done already, unreadable, or to do with their
// output size), the style targets made once per output size (by rank 0, sent to all), then the inputs to do
// optimised in batches of one size, each result written as soon as its batch ends.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "batch_inputs.hpp"
#include "nst/backend.hpp"
#include "nst/transfer.hpp"
#include "transfer_flags.hpp"
#include "mpi_world.hpp"

namespace nst::app {

struct BatchSettings {
    TransferOptions options;
    std::vector<StyleImage> styles;
    int longest = 0, width = 0, height = 0;  // --size: longest side, or exact width x height
    int batch = 1;                           // images optimised together
    bool overwrite = false, preserve_colors = false, color_match = false;
    int print_every = 0;
    bool video = false;            // frames in order, each starting from its predecessor's warped result
    float temporal_weight = 0.0f;  // video: Ruder et al.'s temporal loss (TransferOptions::temporal_weight)
};

// What one rank does with its inputs, counted.
struct BatchCounts {
    long written = 0, skipped = 0, failed = 0;
};

class BatchRunner {
public:
    // `lead`: mine[0] is the frame before this rank's chunk of a video (computed, or read when its output is
    // complete, as the first frame's predecessor; never written or counted here).
    BatchRunner(const BatchSettings& settings, MpiWorld& world, std::vector<BatchItem> mine, long total_inputs,
                bool lead = false);

    // Checks every input of the shard (decoding it): done already (skipped), unreadable (reported, failed), or
    // to do, with its output size. Returns the distinct output sizes to do, on every rank.
    std::vector<std::pair<int, int>> scan();
    // The style targets for every size, computed by rank 0 and broadcast (with --color-match: per input, later).
    void make_targets(Backend& backend, const VggWeights& net, const std::vector<std::pair<int, int>>& sizes);
    // Runs every input to do; false when a stop signal ended it early.
    bool run(Backend& backend, const VggWeights& net);
    const BatchCounts& counts() const noexcept { return counts_; }

private:
    struct Todo {
        std::size_t item;
        int width, height;
    };
    enum class State { Done, Todo, Failed };
    bool run_group(Backend& backend, const VggWeights& net, const std::vector<Todo>& group);
    // Video (batch_video.cpp): every frame of the shard in order, each from its predecessor's warped result.
    bool run_video(Backend& backend, const VggWeights& net);
    bool run_frame(Backend& backend, const VggWeights& net, const Todo& frame, struct VideoState& previous);
    bool counted(std::size_t item) const noexcept { return !(lead_ && item == 0); }
    // Runs the transfer with progress (rank 0's on stderr); false when a stop signal ended it.
    bool optimise(StyleTransfer& transfer, const std::string& tag);
    // The targets for this size, or (--color-match) the ones of the styles matched to `content`, into scratch.
    const StyleTargets& targets_for(Backend& backend, const VggWeights& net, int width, int height,
                                    const Image& content, StyleTargets& scratch);
    // Writes a result (with --preserve-colors, the original's colours), counted; a failed write is reported.
    void write(const BatchItem& item, Image result, const Image& original);
    void fail(const BatchItem& item, const std::string& why);
    void show_totals();

    BatchSettings settings_;
    MpiWorld& world_;
    std::vector<BatchItem> items_;
    long total_;
    bool lead_;
    std::vector<Todo> todo_;
    std::vector<State> state_;
    std::map<std::pair<int, int>, StyleTargets> targets_;
    BatchCounts counts_;
    long shown_done_ = -1;
};

// The transfer options for nst batch's transfers: init 'style' becomes the first style image as an init image
// (they are given targets, not style images).
TransferOptions transfer_options(const BatchSettings& settings);

// StyleTargets as bytes and back (for MPI's broadcast); nst::Error for bytes that are not a whole record.
std::string serialize_targets(const std::vector<StyleTargets>& targets);
std::vector<StyleTargets> deserialize_targets(const std::string& bytes);

}  // namespace nst::app
