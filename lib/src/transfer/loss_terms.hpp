// The transfer's loss terms in one table (kLossTerms): each term's name (its progress and CSV column), its
// value in nst::Losses, its weight and option name in nst::TransferOptions, whether it is reported without a
// weight, and for the terms that act on the image itself, how they are prepared, evaluated (the same whole
// or in tiles: the image stays whole) and what they keep in memory. Slots in backend memory follow the
// table's order, then the total. Content and style are layer terms: the objectives evaluate them at their
// network layers (Objective::add_terms_at; TiledObjective::first_pass and add_term_gradients) and sum them
// into their slots here. Private to libnst.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>
#include <vector>

#include "core/op_backend.hpp"
#include "nst/transfer.hpp"

namespace nst {

// What an image term keeps on the backend for one output size (targets, masks), made by its prepare().
struct ImageTermState {
    std::vector<Buffer> buffers;
};

struct LossTermSpec {
    const char* name;                // "content": the progress and CSV column
    float Losses::*value;            // its value in nst::Losses
    float TransferOptions::*weight;  // its overall weight
    const char* option;              // the weight's name in option errors
    bool always_reported;            // reported at weight 0 too; else only when weighted
    // The term's own options beyond its weight (with a weight > 0); nullptr: none.
    void (*check)(const TransferOptions& o);
    // Image terms only (nullptr for the layer terms). prepare: the state for a width x height output;
    // evaluate: *loss = the term of x (one image, 3 x H x W, mean-subtracted), dx += its gradient.
    ImageTermState (*prepare)(OpBackend& backend, const TransferOptions& o, const float mean_rgb[3], int width,
                              int height);
    void (*evaluate)(OpBackend& backend, const ImageTermState& state, const TransferOptions& o, int width,
                     int height, const float* x, float* loss, float* dx);
    std::size_t (*kept_bytes)(const TransferOptions& o, int width, int height);  // what prepare() allocates

    bool image_term() const noexcept { return evaluate != nullptr; }
};

// The image terms' functions (loss_terms.cpp).
ImageTermState no_state(OpBackend&, const TransferOptions&, const float[3], int, int);
std::size_t no_state_bytes(const TransferOptions&, int, int);
void evaluate_tv(OpBackend& backend, const ImageTermState& state, const TransferOptions& o, int width, int height,
                 const float* x, float* loss, float* dx);
void check_temporal(const TransferOptions& o);
ImageTermState prepare_temporal(OpBackend& backend, const TransferOptions& o, const float mean_rgb[3], int width,
                                int height);
void evaluate_temporal(OpBackend& backend, const ImageTermState& state, const TransferOptions& o, int width,
                       int height, const float* x, float* loss, float* dx);
std::size_t temporal_bytes(const TransferOptions& o, int width, int height);

// clang-format off
inline constexpr std::array<LossTermSpec, 4> kLossTerms{{
    // name       value              weight                            option             always   check
    {"content",  &Losses::content,  &TransferOptions::content_weight,  "content_weight",  true,  nullptr,
     nullptr, nullptr, nullptr},
    {"style",    &Losses::style,    &TransferOptions::style_weight,    "style_weight",    true,  nullptr,
     nullptr, nullptr, nullptr},
    {"tv",       &Losses::tv,       &TransferOptions::tv_weight,       "tv_weight",       true,  nullptr,
     no_state, evaluate_tv, no_state_bytes},
    {"temporal", &Losses::temporal, &TransferOptions::temporal_weight, "temporal_weight", false, check_temporal,
     prepare_temporal, evaluate_temporal, temporal_bytes},
}};
// clang-format on

// A term's slot: its index in kLossTerms. The total's slot follows the terms'.
constexpr std::size_t loss_slot(std::string_view name) {
    for (std::size_t i = 0; i < kLossTerms.size(); ++i)
        if (name == kLossTerms[i].name) return i;
    return kLossTerms.size();  // (no such term: a compile error where a constant is required)
}
inline constexpr std::size_t kTotalSlot = kLossTerms.size();
inline constexpr std::size_t kLossSlots = kLossTerms.size() + 1;  // per image

inline bool weighted(const LossTermSpec& t, const TransferOptions& o) {
    return o.*t.weight > 0.0f;
}

// The weighted image terms of `options`, prepared for one width x height output.
class ImageTerms {
public:
    ImageTerms(OpBackend& backend, const TransferOptions& options, const float mean_rgb[3], int width, int height);
    // Each weighted image term of x (one image) into its slot of `sums` (kLossSlots floats), its gradient
    // added to dx.
    void evaluate(const float* x, float* sums, float* dx);

private:
    OpBackend& backend_;
    const TransferOptions& options_;
    int width_, height_;
    std::array<ImageTermState, kLossTerms.size()> states_;
};

// Bytes the weighted image terms of `options` keep for a width x height output.
std::size_t image_term_bytes(const TransferOptions& options, int width, int height);
// *total (slot kTotalSlot of `sums`) = the sum of the term slots.
void sum_loss_slots(OpBackend& backend, float* sums);
// Downloads (waits for) the slots of `images` images at `sums` (image b's at b x kLossSlots).
std::vector<Losses> read_loss_slots(OpBackend& backend, const float* sums, int images = 1);
// A batch's losses summed over its images.
Losses add_losses(const std::vector<Losses>& images);

}  // namespace nst
