// Synthetic test pictures (so the tests need no image files): smooth gradients with shapes for content,
// stripes and dots for style.
#pragma once

#include "nst/image.hpp"

namespace nst::test {

Image content_picture(int width, int height);
Image style_picture(int width, int height);

}  // namespace nst::test
