// Whole or in tiles: the memory budget, the estimates of both ways, and the largest tile that fits
// (nst/transfer.hpp, plan_transfer).
#include <algorithm>
#include <cstdio>

#include "core/memory_counter.hpp"
#include "nst/error.hpp"
#include "nst/transfer.hpp"
#include "transfer/objective.hpp"
#include "transfer/tiled_network.hpp"
#include "transfer/tiling.hpp"

namespace nst {

namespace {

// "21 MiB" below 1 GiB, "1.50 GiB" above.
std::string bytes_text(std::size_t bytes) {
    if (bytes >= (std::size_t(1) << 30)) return gib(bytes);
    return std::to_string((bytes + (std::size_t(1) << 19)) >> 20) + " MiB";
}

std::size_t budget_of(const Backend& backend, const TransferOptions& o) {
    const std::size_t available = backend.available_memory();
    const std::size_t usable = available - available / 10;
    return o.max_memory > 0 ? o.max_memory : usable;  // a budget the user gives is taken as given
}

bool tensors_fit(const VggWeights& w, const TransferOptions& o, int width, int height,
                 const std::vector<StyleImage>& styles) {
    try {
        check_tensor_sizes(w, o, width, height, styles);
        return true;
    } catch (const Error&) {
        return false;
    }
}

// The largest tensor of a tile's network: its largest crop's stages (style images' crops are no larger).
std::size_t largest_tile_tensor(const VggWeights& w, const TransferOptions& o, const TilePlan& plan) {
    std::size_t n = std::size_t(3) * plan.max_crop_height() * plan.max_crop_width();
    for (const Stage& s : vgg_stages(w, o.pool, plan.max_crop_height(), plan.max_crop_width(), deepest_loss_layer(o)))
        n = std::max(n, s.size());
    return n;
}

TransferPlan tiled_plan(const Backend& b, const VggWeights& w, const TransferOptions& o, int width, int height,
                        int tile, const std::vector<StyleImage>& styles) {
    const TilePlan tiles =
        plan_network_tiles(vgg_stages(w, o.pool, height, width, deepest_loss_layer(o)), width, height, tile);
    TransferPlan p;
    p.tiled = true;
    p.tile = tiles.tile;
    p.halo = tiles.halo;
    p.rows = tiles.rows;
    p.cols = tiles.cols;
    p.overhead = tiles.overhead();
    p.estimate = largest_tile_tensor(w, o, tiles) > kMaxTensorElements
                     ? SIZE_MAX
                     : estimate_tiled_memory(b, w, o, width, height, p.tile, styles);
    return p;
}

std::string size_text(int width, int height) {
    return std::to_string(width) + "x" + std::to_string(height);
}

// The largest tile (a multiple of the alignment) whose run fits the budget; the estimate falls with the tile.
TransferPlan largest_fitting_tiles(const Backend& b, const VggWeights& w, const TransferOptions& o, int width,
                                   int height, const std::vector<StyleImage>& styles, std::size_t budget) {
    const int align = tile_alignment(vgg_stages(w, o.pool, height, width, deepest_loss_layer(o)));
    int lo = 0, hi = (std::max(width, height) + align - 1) / align;  // tiles of lo fit (0: none found yet)
    TransferPlan best;
    while (lo < hi) {
        const int mid = lo + (hi - lo + 1) / 2;
        TransferPlan p = tiled_plan(b, w, o, width, height, mid * align, styles);
        if (p.estimate <= budget) {
            lo = mid;
            best = p;
        } else {
            hi = mid - 1;
        }
    }
    if (lo == 0) {
        const TransferPlan smallest = tiled_plan(b, w, o, width, height, align, styles);
        throw Error("a " + size_text(width, height) + " transfer does not fit in " + bytes_text(budget) + " even in " +
                    std::to_string(align) + " px tiles (about " + bytes_text(smallest.estimate) +
                    ": the image, its gradient, the optimiser's state and the content targets stay whole); " +
                    "use a smaller size or allow more memory");
    }
    return best;
}

// With the tile chosen, the budget left keeps as many tiles' activations between the passes as it holds (in
// tile order, the last tile's being kept anyway), each saving that tile's second forward pass.
void keep_tiles(const VggWeights& w, const TransferOptions& o, int width, int height, std::size_t budget,
                TransferPlan& p) {
    const TilePlan tiles = plan_tiles(width, height, p.tile, p.halo);
    const std::string last = deepest_loss_layer(o);
    std::size_t extra = 0;
    while (p.kept_tiles + 1 < static_cast<int>(tiles.tiles.size())) {
        const std::size_t bytes =
            TiledNetwork::activation_size(w, o.pool, last, tiles.tiles[std::size_t(p.kept_tiles)]) * sizeof(float);
        if (p.estimate + extra + bytes > budget) break;
        extra += bytes;
        ++p.kept_tiles;
    }
    p.estimate += extra;
}

}  // namespace

namespace {

// "; all kept between the passes", "; 5 kept between the passes", or "".
std::string kept_text(int kept, int tiles) {
    if (kept == 0 || tiles < 2) return "";
    return kept + 1 >= tiles ? "; all kept between the passes"
                             : "; " + std::to_string(kept) + " kept between the passes";
}

}  // namespace

std::string TransferPlan::describe() const {
    char text[256];
    if (!tiled) {
        std::snprintf(text, sizeof text, "untiled: about %s of a %s budget", bytes_text(estimate).c_str(),
                      bytes_text(budget).c_str());
    } else {
        std::snprintf(text, sizeof text,
                      "tiled: %dx%d px tiles (+%d px halo on each side), %d tiles (%dx%d%s), the network reads "
                      "%.2fx the image's pixels; about %s of a %s budget",
                      tile, tile, halo, rows * cols, cols, rows, kept_text(kept_tiles, rows * cols).c_str(), overhead,
                      bytes_text(estimate).c_str(), bytes_text(budget).c_str());
    }
    return text;
}

TransferPlan plan_transfer(const Backend& b, const VggWeights& w, const TransferOptions& o, int width, int height,
                           const std::vector<StyleImage>& styles) {
    const std::size_t budget = budget_of(b, o);
    TransferPlan p;
    if (o.tile == 0 && tensors_fit(w, o, width, height, styles)) {
        p.estimate = estimate_transfer_memory(b, w, o, width, height, styles);
        p.budget = budget;
        if (p.estimate <= budget) return p;
    }
    if (o.tile > 0) {
        p = tiled_plan(b, w, o, width, height, o.tile, styles);
        if (p.estimate > budget)
            throw Error("a " + size_text(width, height) + " transfer in " + std::to_string(p.tile) +
                        " px tiles needs " +
                        (p.estimate == SIZE_MAX ? std::string("a tensor of 2^31 elements or more")
                                                : "about " + bytes_text(p.estimate)) +
                        ", more than the " + bytes_text(budget) + " budget; use smaller tiles or allow more memory");
    } else {
        p = largest_fitting_tiles(b, w, o, width, height, styles, budget);
    }
    keep_tiles(w, o, width, height, budget, p);
    p.budget = budget;
    return p;
}

TransferPlan check_transfer_fits(const Backend& backend, const VggWeights& w, const TransferOptions& o, int width,
                                 int height, const std::vector<StyleImage>& styles) {
    validate_options(o);
    if (width < 1 || height < 1) throw Error("the content image is empty");
    const TransferPlan p = plan_transfer(backend, w, o, width, height, styles);
    if (p.tiled && o.temporal_weight > 0)
        throw Error("a " + size_text(width, height) + " frame needs tiles here, and the temporal loss (video) runs "
                    "untiled: use a smaller size or allow more memory");
    // A budget given above what the backend has is planned for, but never allocated beyond that.
    const std::size_t available = backend.available_memory();
    if (p.estimate > available)
        throw Error("a " + size_text(width, height) + " transfer " +
                    (p.tiled ? "in " + std::to_string(p.tile) + " px tiles " : std::string()) + "needs about " +
                    bytes_text(p.estimate) + ", more than the " + bytes_text(available) + " available on the " +
                    to_string(backend.device()) + " backend; use a smaller size or --max-memory");
    return p;
}

TransferPlan check_batch_fits(const Backend& backend, const VggWeights& w, const TransferOptions& o, int width,
                              int height, int batch, const std::vector<StyleImage>& styles) {
    if (batch == 1) return check_transfer_fits(backend, w, o, width, height, styles);
    validate_options(o);
    const std::string what = "a batch of " + std::to_string(batch) + " " + size_text(width, height) + " images";
    if (batch < 1) throw Error("a batch needs at least one image");
    if (o.optimizer != OptimizerKind::Adam)
        throw Error(what + " needs Adam: L-BFGS's steps would couple the images (use a batch of 1 for L-BFGS)");
    if (o.tile > 0) throw Error(what + " runs untiled: tiles need a batch of 1");
    if (o.temporal_weight > 0) throw Error(what + ": the temporal loss (video) needs a batch of 1, one frame after another");
    for (const Stage& s : vgg_stages(w, o.pool, height, width, deepest_loss_layer(o), batch))
        if (s.size() > kMaxTensorElements)
            throw Error(what + " needs a tensor of " + std::to_string(s.size()) + " elements at " + s.name +
                        " (at most 2^31 - 1): use a smaller batch");
    TransferPlan p;
    p.budget = std::min(budget_of(backend, o), backend.available_memory());
    p.estimate = estimate_transfer_memory(backend, w, o, width, height, styles, batch);
    if (p.estimate > p.budget)
        throw Error(what + " needs about " + bytes_text(p.estimate) + ", more than the " + bytes_text(p.budget) +
                    " budget: use a smaller batch");
    return p;
}

}  // namespace nst
