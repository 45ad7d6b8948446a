// Tiles, halos and own windows of a tiled transfer (tiling.hpp).
#include "transfer/tiling.hpp"

#include <algorithm>

#include "nst/error.hpp"

namespace nst {

std::vector<int> stage_scales(const std::vector<Stage>& stages) {
    std::vector<int> scales;
    int scale = 1;
    for (const Stage& s : stages) {
        if (!s.conv) scale *= 2;
        scales.push_back(scale);
    }
    return scales;
}

int tile_alignment(const std::vector<Stage>& stages) {
    const std::vector<int> scales = stage_scales(stages);
    return scales.empty() ? 1 : scales.back();
}

int tile_halo(const std::vector<Stage>& stages) {
    const std::vector<int> scales = stage_scales(stages);
    int spoiled = 0, halo = 0;  // spoiled: stage outputs beside a false border that differ from the whole's
    for (std::size_t i = 0; i < stages.size(); ++i) {
        if (stages[i].conv)
            spoiled += stages[i].conv_shape.kernel / 2;
        else
            spoiled = (spoiled + 1) / 2;
        halo = std::max(halo, spoiled * scales[i]);
    }
    const int align = tile_alignment(stages);
    return (halo + align - 1) / align * align;
}

double TilePlan::overhead() const {
    double read = 0.0;
    for (const Tile& t : tiles) read += double(t.crop.height) * t.crop.width;
    return read / (double(width) * height);
}

int TilePlan::max_crop_height() const {
    int h = 0;
    for (const Tile& t : tiles) h = std::max(h, t.crop.height);
    return h;
}

int TilePlan::max_crop_width() const {
    int w = 0;
    for (const Tile& t : tiles) w = std::max(w, t.crop.width);
    return w;
}

TilePlan plan_tiles(int width, int height, int tile, int halo) {
    if (width < 1 || height < 1 || tile < 1 || halo < 0)
        throw Error("plan_tiles: invalid " + std::to_string(width) + "x" + std::to_string(height) + " image, tile " +
                    std::to_string(tile) + ", halo " + std::to_string(halo));
    TilePlan p;
    p.width = width;
    p.height = height;
    p.tile = tile;
    p.halo = halo;
    p.rows = (height + tile - 1) / tile;
    p.cols = (width + tile - 1) / tile;
    for (int r = 0; r < p.rows; ++r)
        for (int c = 0; c < p.cols; ++c) {
            Tile t;
            t.own = CropWindow{r * tile, c * tile, std::min(tile, height - r * tile), std::min(tile, width - c * tile)};
            const int top = std::max(0, t.own.top - halo), left = std::max(0, t.own.left - halo);
            const int bottom = std::min(height, t.own.top + t.own.height + halo);
            const int right = std::min(width, t.own.left + t.own.width + halo);
            t.crop = CropWindow{top, left, bottom - top, right - left};
            p.tiles.push_back(t);
        }
    return p;
}

TilePlan plan_network_tiles(const std::vector<Stage>& stages, int width, int height, int tile) {
    const int align = tile_alignment(stages);
    return plan_tiles(width, height, (std::max(tile, 1) + align - 1) / align * align, tile_halo(stages));
}

CropWindow own_window(const Tile& t, int scale, int height, int width) {
    // The whole network's output at this scale is ceil(height / scale) x ceil(width / scale) (SAME pooling);
    // a tile that reaches the image's end owns the stage's last row or column, however partial.
    const int rows = (height + scale - 1) / scale, cols = (width + scale - 1) / scale;
    const int top = t.own.top / scale, left = t.own.left / scale;
    const int bottom = t.own.top + t.own.height == height ? rows : (t.own.top + t.own.height) / scale;
    const int right = t.own.left + t.own.width == width ? cols : (t.own.left + t.own.width) / scale;
    return CropWindow{top - t.crop.top / scale, left - t.crop.left / scale, bottom - top, right - left};
}

std::vector<std::pair<int, int>> crop_shapes(const TilePlan& plan) {
    std::vector<std::pair<int, int>> shapes;
    for (const Tile& t : plan.tiles) {
        const std::pair<int, int> s{t.crop.height, t.crop.width};
        if (std::find(shapes.begin(), shapes.end(), s) == shapes.end()) shapes.push_back(s);
    }
    return shapes;
}

}  // namespace nst
