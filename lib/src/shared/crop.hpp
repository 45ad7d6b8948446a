// The crop's index map, written once for both backends: element i of the packed window (channels x
// window.height x window.width) is element crop_source(i, ...) of the tensor it is cut from (channels x
// height x width). Distinct i map to distinct sources, so the backward's scatter-add has no races.
#pragma once

#include <cstddef>

#include "host_device.hpp"
#include "core/op_shapes.hpp"

namespace nst::shared {

// 64-bit throughout: a whole image of 32768 x 32768 x 3 has more than 2³¹ elements.
NST_HOST_DEVICE inline std::size_t crop_source(std::size_t i, int height, int width, const CropWindow& win) {
    const std::size_t plane = static_cast<std::size_t>(win.height) * static_cast<std::size_t>(win.width);
    const std::size_t c = i / plane, r = i % plane;
    const std::size_t row = r / static_cast<std::size_t>(win.width), col = r % static_cast<std::size_t>(win.width);
    return (c * static_cast<std::size_t>(height) + static_cast<std::size_t>(win.top) + row) *
               static_cast<std::size_t>(width) +
           static_cast<std::size_t>(win.left) + col;
}

}  // namespace nst::shared
