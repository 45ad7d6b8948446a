// nst batch --video: the frames of this rank's chunk in order. Each frame starts from its predecessor's result
// warped to it by optical flow (nst/video.hpp) and, with --temporal-weight, keeps close to that warp where the
// flow is consistent (Ruder et al.'s short-term temporal loss). A frame done in an earlier run stands for its
// result (its output is read back); an unreadable frame restarts the chain.
#include <cstdio>

#include "batch_runner.hpp"
#include "nst/error.hpp"
#include "nst/image.hpp"
#include "nst/video.hpp"
#include "stop_signals.hpp"

namespace nst::app {

// The previous frame at the output size: its input (for the flow) and its result.
struct VideoState {
    bool have = false;
    Image content, result;
};

namespace {

// The frame's options: the first frame's as given; later ones start from the warped predecessor.
TransferOptions frame_options(const BatchSettings& s, const Image& content, const VideoState& previous,
                              std::string* how) {
    TransferOptions o = transfer_options(s);
    if (!previous.have || previous.result.width != content.width || previous.result.height != content.height) {
        *how = "no previous frame";
        return o;
    }
    const Flow backward = optical_flow(content, previous.content), forward = optical_flow(previous.content, content);
    const Image warped = warp_image(previous.result, backward, &content);  // new content: from the frame
    o.init = InitKind::Image;
    o.init_image = warped;
    if (s.temporal_weight > 0) {
        o.temporal_weight = s.temporal_weight;
        o.temporal_target = warped;
        o.temporal_mask = flow_consistency(backward, forward);
        double kept = 0.0;
        for (float c : o.temporal_mask) kept += c;
        char text[96];
        std::snprintf(text, sizeof text, "from the previous result, temporal loss on %.0f%% of the pixels",
                      100.0 * kept / static_cast<double>(o.temporal_mask.size()));
        *how = text;
    } else {
        *how = "from the previous result";
    }
    return o;
}

}  // namespace

bool BatchRunner::run_video(Backend& backend, const VggWeights& net) {
    VideoState previous;
    std::size_t next = 0;  // todo_ lists the frames to do in order
    for (std::size_t i = 0; i < items_.size() && !stop_requested(); ++i) {
        if (state_[i] == State::Failed) {
            previous = VideoState{};
            continue;
        }
        if (state_[i] == State::Done) {
            try {  // done in an earlier run: its output is its result
                Image result = load_image(items_[i].output);
                const Image in = load_image(items_[i].input);
                previous = VideoState{true, resize_image(in, result.width, result.height), std::move(result)};
            } catch (const Error&) {
                previous = VideoState{};
            }
            continue;
        }
        if (!run_frame(backend, net, todo_[next++], previous)) return false;
        show_totals();
    }
    return !stop_requested();
}

bool BatchRunner::run_frame(Backend& backend, const VggWeights& net, const Todo& frame, VideoState& previous) {
    const BatchItem& item = items_[frame.item];
    Image original, content;
    try {
        original = load_image(item.input);
        content = resize_image(original, frame.width, frame.height);
    } catch (const Error& e) {
        if (counted(frame.item)) fail(item, e.what());
        previous = VideoState{};
        return true;
    }
    try {
        std::string how;
        const TransferOptions o = frame_options(settings_, content, previous, &how);
        StyleTargets matched;
        const StyleTargets& targets = targets_for(backend, net, frame.width, frame.height, original, matched);
        StyleTransfer transfer(backend, net, {content}, targets, o);
        const std::string tag =
            "[" + item.input + (counted(frame.item) ? "" : " (the chunk's lead frame)") + ", " + how + "]  ";
        if (!optimise(transfer, tag)) return false;
        previous = VideoState{true, content, transfer.image()};
    } catch (const Error& e) {  // this frame fails (a loss that became NaN, ...); the chain starts again after it
        if (counted(frame.item)) fail(item, e.what());
        previous = VideoState{};
        return true;
    }
    if (counted(frame.item)) write(item, previous.result, original);
    return true;
}

}  // namespace nst::app
