// Video (Ruder, Dosovitskiy and Brox, "Artistic style transfer for videos", 2016): the optical flow between
// frames, the previous frame's result warped to the next frame (its starting point and the temporal loss's
// target, TransferOptions::temporal_*), and where that warp can be trusted. The flow is OpenCV's DIS optical
// flow when libnst was built with OpenCV (NST_WITH_OPENCV); warping and the consistency check are libnst's.
#pragma once

#include <string>
#include <vector>

#include "nst/image.hpp"

namespace nst {

// A dense flow field over a width x height frame: pixel (x, y) of that frame matches (x + dx, y + dy) in the
// other frame. dx, dy: height x width, row-major.
struct Flow {
    int width = 0, height = 0;
    std::vector<float> dx, dy;
};

// True when libnst can compute optical flow; otherwise false with the reason (what to install) in *why.
bool optical_flow_available(std::string* why = nullptr);

// The flow from `from` to `to` (same size): for each pixel of `from`, where it is in `to`. OpenCV's DIS
// optical flow (its "medium" preset) on the frames' luminance. nst::Error when the sizes differ, or when libnst
// was built without OpenCV (the message says what to install).
Flow optical_flow(const Image& from, const Image& to);

// The previous frame's `image` seen from the next frame: pixel p of the result is image's value at
// p + flow(p), bilinear, clamped to the border. `flow`: from the next frame to the previous one
// (optical_flow(next, previous)). With `fill`, a pixel whose p + flow(p) lies outside the previous frame (new
// content entering at a border) takes fill's pixel instead (nst batch --video: the next frame itself, not a
// smear of the border). nst::Error when the sizes differ.
Image warp_image(const Image& image, const Flow& flow, const Image* fill = nullptr);

// Ruder et al.'s weights for the next frame's pixels (height x width, row-major): 0 where the backward flow
// (next -> previous) points outside the previous frame (content entering at the border); 0 where it and the
// forward flow (previous -> next) disagree, i.e. the pixel was not visible in the previous frame:
// |w~ + w^|² > 0.01 (|w~|² + |w^|²) + 0.5 with w^ the backward flow and w~ the forward flow read where w^
// points; 0 on motion boundaries: |grad u^|² + |grad v^|² > 0.01 |w^|² + 0.002; 1 elsewhere.
std::vector<float> flow_consistency(const Flow& backward, const Flow& forward);

}  // namespace nst
