// What the fuzz targets and the hostile corpus feed each file to: the reader nst uses for that kind, as
// `nst weights info` + `nst transfer` (weights), `nst transfer --content/--style` (image) and `nst train
// --data` (cifar) do. Accepted: returns; refused: nst::Error. Anything else escaping is a bug.
#pragma once

#include <string>

#include "nst/dataset.hpp"
#include "nst/image.hpp"
#include "nst/weights.hpp"

namespace nst::fuzz {

enum class Kind { Weights, Image, Cifar };

inline void read_as(Kind kind, const std::string& path) {
    switch (kind) {
        case Kind::Weights:
            inspect_weights_file(path);
            load_vgg19_mat(path, "relu5_1");
            break;
        case Kind::Image: load_image(path); break;
        case Kind::Cifar: read_cifar100_file(path); break;
    }
}

}  // namespace nst::fuzz
