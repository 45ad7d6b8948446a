// The loss terms' table (loss_terms.hpp): the image terms' functions and what is done over all terms.
#include "transfer/loss_terms.hpp"

#include <string>

#include "nst/error.hpp"

namespace nst {

ImageTermState no_state(OpBackend&, const TransferOptions&, const float[3], int, int) {
    return {};
}

std::size_t no_state_bytes(const TransferOptions&, int, int) {
    return 0;
}

// tv_weight · Σ squared differences of horizontal and vertical neighbours (the tv_loss op).
void evaluate_tv(OpBackend& backend, const ImageTermState&, const TransferOptions& o, int width, int height,
                 const float* x, float* loss, float* dx) {
    backend.tv_loss(1, 3, height, width, x, o.tv_weight, loss, dx);
}

// The video's temporal term: with a weight, a target image and one mask value in [0, 1] per pixel of it.
void check_temporal(const TransferOptions& o) {
    const Image& t = o.temporal_target;
    if (t.width < 1 || t.height < 1) throw OptionError("temporal_target", "is empty (the temporal weight needs one)");
    if (o.temporal_mask.size() != std::size_t(t.width) * t.height)
        throw OptionError("temporal_mask", "has " + std::to_string(o.temporal_mask.size()) + " values for a " +
                                               std::to_string(t.width) + "x" + std::to_string(t.height) + " target");
    for (float c : o.temporal_mask)
        if (!(c >= 0.0f && c <= 1.0f)) throw OptionError("temporal_mask", "holds " + std::to_string(c) + " (must be 0 to 1)");
}

// The temporal target as a tensor (mean-subtracted, like the image) and its mask (H x W), at the output size.
ImageTermState prepare_temporal(OpBackend& backend, const TransferOptions& o, const float mean_rgb[3], int width,
                                int height) {
    const Image& t = o.temporal_target;
    if (t.width != width || t.height != height)
        throw Error("the temporal target is " + std::to_string(t.width) + "x" + std::to_string(t.height) +
                    ", the output " + std::to_string(width) + "x" + std::to_string(height));
    ImageTermState state;
    state.buffers.push_back(backend.allocate(std::size_t(3) * width * height));
    backend.image_to_tensor(t.rgb.data(), height, width, mean_rgb, state.buffers[0].data());
    state.buffers.push_back(backend.allocate(o.temporal_mask.size()));
    backend.upload(o.temporal_mask.data(), state.buffers[1].data(), state.buffers[1].size());
    return state;
}

// temporal_weight · Σ c (x − w)² / (3HW) (the temporal_loss op).
void evaluate_temporal(OpBackend& backend, const ImageTermState& state, const TransferOptions& o, int width,
                       int height, const float* x, float* loss, float* dx) {
    backend.temporal_loss(3, std::int64_t(height) * width, x, state.buffers[0].data(), state.buffers[1].data(),
                          o.temporal_weight, loss, dx);
}

std::size_t temporal_bytes(const TransferOptions&, int width, int height) {
    return (std::size_t(3) * width * height + std::size_t(width) * height) * sizeof(float);
}

ImageTerms::ImageTerms(OpBackend& backend, const TransferOptions& options, const float mean_rgb[3], int width,
                       int height)
    : backend_(backend), options_(options), width_(width), height_(height) {
    for (std::size_t i = 0; i < kLossTerms.size(); ++i)
        if (kLossTerms[i].image_term() && weighted(kLossTerms[i], options))
            states_[i] = kLossTerms[i].prepare(backend, options, mean_rgb, width, height);
}

void ImageTerms::evaluate(const float* x, float* sums, float* dx) {
    for (std::size_t i = 0; i < kLossTerms.size(); ++i)
        if (kLossTerms[i].image_term() && weighted(kLossTerms[i], options_))
            kLossTerms[i].evaluate(backend_, states_[i], options_, width_, height_, x, sums + i, dx);
}

std::size_t image_term_bytes(const TransferOptions& options, int width, int height) {
    std::size_t bytes = 0;
    for (const LossTermSpec& t : kLossTerms)
        if (t.image_term() && weighted(t, options)) bytes += t.kept_bytes(options, width, height);
    return bytes;
}

void sum_loss_slots(OpBackend& backend, float* sums) {
    backend.sum(sums, kLossTerms.size(), sums + kTotalSlot);
}

std::vector<Losses> read_loss_slots(OpBackend& backend, const float* sums, int images) {
    std::vector<float> v(static_cast<std::size_t>(images) * kLossSlots);
    backend.download(sums, v.data(), v.size());
    std::vector<Losses> out(static_cast<std::size_t>(images));
    for (std::size_t b = 0; b < out.size(); ++b) {
        const float* s = v.data() + b * kLossSlots;
        for (std::size_t i = 0; i < kLossTerms.size(); ++i) out[b].*kLossTerms[i].value = s[i];
        out[b].total = s[kTotalSlot];
    }
    return out;
}

Losses add_losses(const std::vector<Losses>& images) {
    Losses total;
    for (const Losses& l : images) {
        total.total += l.total;
        for (const LossTermSpec& t : kLossTerms) total.*t.value += l.*t.value;
    }
    return total;
}

std::vector<LossColumn> loss_columns(const TransferOptions& options) {
    std::vector<LossColumn> columns;
    for (const LossTermSpec& t : kLossTerms)
        if (t.always_reported || weighted(t, options)) columns.push_back({t.name, t.value});
    return columns;
}

}  // namespace nst
