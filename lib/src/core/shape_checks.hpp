// The shape rules both backends apply before an op runs, written once: each throws nst::Error naming the
// op and the shape. Private to libnst (and compiled into the kernel tests with the CPU backend).
#pragma once

#include <cstdint>

#include "core/op_shapes.hpp"

namespace nst {

void check_conv_shape(const ConvShape& s);              // positive sizes, a non-empty output
void check_batch_norm_shape(const BatchNormShape& s);   // positive sizes
void check_max_pool_shape(const MaxPoolShape& s);       // positive sizes, pad < window, a non-empty output
void check_matrix_shape(const char* op, int rows, int inputs, int outputs);  // all positive
// positive sizes, the window non-empty and inside the channels x height x width tensor
void check_crop_window(int channels, int height, int width, const CropWindow& window);
void check_plane_shape(const char* op, int batch, int channels, std::int64_t pixels);  // all positive

}  // namespace nst
