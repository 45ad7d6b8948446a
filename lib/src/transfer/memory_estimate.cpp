// What a transfer will allocate, estimated before anything is, phase by phase as StyleTransfer allocates it;
// and the per-tensor size limit.
#include <algorithm>

#include "nst/error.hpp"
#include "nst/transfer.hpp"
#include "transfer/loss_terms.hpp"
#include "transfer/objective.hpp"
#include "transfer/tiled_objective.hpp"
#include "transfer/tiling.hpp"
#include "transfer/vgg_network.hpp"

namespace nst {

namespace {

constexpr std::size_t kFloat = sizeof(float);

// A network's outputs, its largest one, and the backend's largest convolution scratch among its shapes.
struct NetworkBytes {
    std::size_t outputs = 0, largest = 0, conv_scratch = 0, weights = 0;
};

NetworkBytes network_bytes(const OpBackend& b, const VggWeights& w, const TransferOptions& o, int width, int height,
                           int batch = 1) {
    NetworkBytes n;
    for (const Stage& s : vgg_stages(w, o.pool, height, width, deepest_loss_layer(o), batch)) {
        n.outputs += s.size() * kFloat;
        n.largest = std::max(n.largest, s.size() * kFloat);
        if (!s.conv) continue;
        n.conv_scratch = std::max(n.conv_scratch, b.conv_memory(s.conv_shape));
        const ConvWeights& c = w.convs[static_cast<std::size_t>(s.conv_index)];
        n.weights += (c.filters.size() + c.bias.size()) * kFloat;
    }
    return n;
}

// The targets: content features (per image) and style Gram matrices, with the Gram scratch and the loss slots.
std::size_t target_bytes(const VggWeights& w, const TransferOptions& o, int width, int height, int batch) {
    const std::vector<Stage> stages = vgg_stages(w, o.pool, height, width, deepest_loss_layer(o), batch);
    auto stage_of = [&](const std::string& layer) -> const Stage& {
        const std::string c = canonical_layer(layer);
        return *std::find_if(stages.begin(), stages.end(), [&](const Stage& s) { return s.name == c; });
    };
    std::size_t floats = std::size_t(batch) * (o.content_layers.size() + o.style_layers.size() + 4), largest_gram = 1;
    for (const LayerWeight& l : o.content_layers) floats += stage_of(l.layer).size();
    for (const LayerWeight& l : o.style_layers) {
        const std::size_t gram = std::size_t(stage_of(l.layer).channels) * stage_of(l.layer).channels;
        floats += gram;
        largest_gram = std::max(largest_gram, gram);
    }
    return (floats + largest_gram) * kFloat;
}

std::size_t optimizer_bytes(const TransferOptions& o, std::size_t image) {
    if (o.optimizer == OptimizerKind::Adam) return 2 * image;
    const auto h = static_cast<std::size_t>(std::max(o.lbfgs.history, 1));
    return (2 * h + 2) * image + (2 * h + 3) * kFloat;
}

}  // namespace

std::size_t estimate_tiled_memory(const Backend& backend, const VggWeights& w, const TransferOptions& o, int width,
                                  int height, int tile, const std::vector<StyleImage>& styles, int kept_tiles) {
    const TilePlan plan =
        plan_network_tiles(vgg_stages(w, o.pool, height, width, deepest_loss_layer(o)), width, height, tile);
    const std::vector<TilePlan> style_plans = style_tile_plans(o, plan, styles);
    const TiledObjectiveBytes objective = tiled_objective_bytes(ops_of(backend), w, o, plan, style_plans, kept_tiles);
    const std::size_t image = std::size_t(3) * width * height * kFloat;
    // Kept: the objective, the image; the content image's tensor until construction ends. While a style
    // image's targets are computed: its tensor (its tiles run on the objective's networks).
    std::size_t style = 0;
    for (const TilePlan& p : style_plans) style = std::max(style, std::size_t(3) * p.width * p.height * kFloat);
    return objective.kept + 2 * image + image_term_bytes(o, width, height) + objective.conv_scratch +
           std::max(style, optimizer_bytes(o, image));
}

std::size_t estimate_transfer_memory(const Backend& backend, const VggWeights& w, const TransferOptions& o, int width,
                                     int height, const std::vector<StyleImage>& styles, int batch) {
    const std::size_t image = std::size_t(3) * width * height * kFloat * static_cast<std::size_t>(batch);
    const NetworkBytes net = network_bytes(ops_of(backend), w, o, width, height, batch);
    // Kept from the objective's construction to the end: weights, outputs, the backward pass's two gradient
    // buffers, the targets, the images; and the content images' tensor until construction ends.
    const std::size_t kept = net.weights + net.outputs + 2 * std::max(net.largest, image) +
                             target_bytes(w, o, width, height, batch) + image + image +
                             image_term_bytes(o, width, height);
    // While one style image's targets are computed: its tensor, and a network of its size if that differs
    // (always for a batch: the style runs alone).
    std::size_t style = 0, conv_scratch = net.conv_scratch;
    for (const StyleImage& st : styles.empty() ? std::vector<StyleImage>{StyleImage{}} : styles) {
        int sw = width, sh = height;
        if (!styles.empty()) style_image_size(o, width, height, st.image, &sw, &sh);
        std::size_t bytes = std::size_t(3) * sw * sh * kFloat;
        if (sw != width || sh != height || batch > 1) {
            const NetworkBytes other = network_bytes(ops_of(backend), w, o, sw, sh);
            bytes += other.outputs;
            conv_scratch = std::max(conv_scratch, other.conv_scratch);
        }
        style = std::max(style, bytes);
    }
    return kept + conv_scratch + std::max(style, optimizer_bytes(o, image));
}

namespace {

std::size_t largest_tensor(const VggWeights& w, const TransferOptions& o, int width, int height, std::string* name) {
    std::size_t largest = std::size_t(3) * width * height;
    *name = "the image";
    for (const Stage& s : vgg_stages(w, o.pool, height, width, deepest_loss_layer(o)))
        if (s.size() > largest) {
            largest = s.size();
            *name = s.name + " (" + std::to_string(s.channels) + " x " + std::to_string(s.height) + " x " +
                    std::to_string(s.width) + ")";
        }
    return largest;
}

// The largest size with this aspect ratio whose tensors fit.
std::string largest_fitting(const VggWeights& w, const TransferOptions& o, int width, int height) {
    int lo = 1, hi = std::max(width, height);  // longest sides: lo fits, hi does not
    std::string unused;
    while (hi - lo > 1) {
        const int mid = lo + (hi - lo) / 2;
        int mw = 0, mh = 0;
        fit_longest_side(width, height, mid, &mw, &mh);
        (largest_tensor(w, o, mw, mh, &unused) <= kMaxTensorElements ? lo : hi) = mid;
    }
    int fw = 0, fh = 0;
    fit_longest_side(width, height, lo, &fw, &fh);
    return std::to_string(fw) + "x" + std::to_string(fh);
}

}  // namespace

void check_tensor_sizes(const VggWeights& w, const TransferOptions& o, int width, int height,
                        const std::vector<StyleImage>& styles) {
    std::string name;
    const std::size_t n = largest_tensor(w, o, width, height, &name);
    if (n > kMaxTensorElements)
        throw Error("a " + std::to_string(width) + "x" + std::to_string(height) + " transfer needs a tensor of " +
                    std::to_string(n) + " elements (" + name + "); libnst's tensors hold at most 2^31 - 1, so the " +
                    "largest size with this aspect ratio is " + largest_fitting(w, o, width, height));
    for (const StyleImage& st : styles) {
        int sw = width, sh = height;
        style_image_size(o, width, height, st.image, &sw, &sh);
        if (largest_tensor(w, o, sw, sh, &name) > kMaxTensorElements)
            throw Error("a style image scaled to " + std::to_string(sw) + "x" + std::to_string(sh) +
                        " needs a tensor of more than 2^31 - 1 elements (" + name + "): lower the style scale");
    }
}

}  // namespace nst
