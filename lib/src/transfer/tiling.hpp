// The geometry of a tiled transfer (docs/usage.md, "Images of any size"). The image is cut into tiles whose
// own pixels partition it; each tile's network reads its own pixels plus a halo (clipped to the image). A
// crop's false borders (its edges inside the image, zero-padded by the convolutions and cut off by the
// pooling) spoil the features near them; the halo is as wide as that spoiled band at the deepest stage, and
// tile origins lie on the pooling grid, so every stage's features at a tile's own positions equal the
// whole image's. Private to libnst.
#pragma once

#include <cstddef>
#include <vector>

#include "core/op_shapes.hpp"
#include "transfer/vgg_network.hpp"

namespace nst {

// Image pixels per output pixel of each stage: 1 until the first pooling, then 2, 4, ...
std::vector<int> stage_scales(const std::vector<Stage>& stages);
// The pooling grid: the scale of the last stage. Tile origins are multiples of it.
int tile_alignment(const std::vector<Stage>& stages);
// The halo in image pixels: the widest spoiled band beside a false border over all stages (a 3x3
// convolution widens it by one of its pixels, a 2x2 pooling halves it, rounded up), rounded up to the
// alignment. VGG-19 to relu5_1: 80; to relu4_2: 48; to relu3_1: 20 -> 24.
int tile_halo(const std::vector<Stage>& stages);

struct Tile {
    CropWindow own;   // the image pixels this tile's outputs belong to; the tiles' own windows partition the image
    CropWindow crop;  // own plus the halo, clipped to the image: what the tile's network reads
};

struct TilePlan {
    int width = 0, height = 0;  // the image
    int tile = 0;               // a tile's side in image pixels (a multiple of the alignment)
    int halo = 0;
    int rows = 0, cols = 0;
    std::vector<Tile> tiles;  // row by row
    // Pixels the tiles' networks read, over the image's pixels (>= 1: the halo's cost).
    double overhead() const;
    // The largest crop's height and width.
    int max_crop_height() const;
    int max_crop_width() const;
};
// Tiles of tile x tile own pixels (the last row and column take what is left), each with `halo`.
TilePlan plan_tiles(int width, int height, int tile, int halo);

// The tiles of a width x height image for a network of these stages: `tile` rounded up to its alignment,
// its halo.
TilePlan plan_network_tiles(const std::vector<Stage>& stages, int width, int height, int tile);

// A tile's own positions at a stage of scale `scale` (stage_scales) of a network for a height x width image,
// in the coordinates of that stage's output in the tile's crop network.
CropWindow own_window(const Tile& tile, int scale, int height, int width);

// The crop shapes (height, width) a plan's networks take, each once.
std::vector<std::pair<int, int>> crop_shapes(const TilePlan& plan);

}  // namespace nst
