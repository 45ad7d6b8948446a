// What a transfer allocates: the estimate StyleTransfer checks before allocating anything, held to the CPU
// backend's measured peak (every allocation counted, the im2col buffer included) within 10 %; and the
// per-tensor limit of 2³¹ − 1 elements, refused with the largest size that fits.
#include <catch2/catch.hpp>

#include <cmath>

#include "../../support/test_images.hpp"
#include "nst/error.hpp"
#include "nst/transfer.hpp"

using namespace nst;
using namespace nst::test;

namespace {

// Runs two steps and returns the backend's peak; *estimate: what estimate_transfer_memory said before.
std::size_t measured_peak(const VggWeights& w, const TransferOptions& o, const Image& content,
                          const std::vector<StyleImage>& styles, std::size_t* estimate) {
    auto b = make_cpu_backend();
    *estimate = estimate_transfer_memory(*b, w, o, content.width, content.height, styles);
    StyleTransfer t(*b, w, content, styles, o);
    t.step();
    t.step();
    return b->peak_memory();
}

}  // namespace

TEST_CASE("the memory estimate is within 10 % of the CPU backend's measured peak", "[transfer][memory]") {
    const VggWeights narrow = random_vgg19(1, "relu5_1", 8), full = random_vgg19(1, "relu5_1", 1);
    const Image content = content_picture(64, 48);
    const std::vector<StyleImage> one = {{style_picture(40, 40), 1.0f}};
    const std::vector<StyleImage> two = {{style_picture(40, 40), 0.6f}, {content_picture(50, 30), 0.4f}};
    struct Case {
        const char* name;
        const VggWeights* weights;
        TransferOptions options;
        const std::vector<StyleImage>* styles;
    };
    std::vector<Case> cases;
    cases.push_back({"Adam, 1/8 channels", &narrow, TransferOptions{}, &one});
    TransferOptions lbfgs;
    lbfgs.optimizer = OptimizerKind::Lbfgs;
    lbfgs.lbfgs.history = 5;
    cases.push_back({"L-BFGS history 5", &narrow, lbfgs, &one});
    TransferOptions scaled;
    scaled.style_scale = 1.5f;
    cases.push_back({"two styles at 1.5x (their own networks)", &narrow, scaled, &two});
    cases.push_back({"full channels", &full, TransferOptions{}, &one});
    for (const Case& c : cases) {
        std::size_t estimate = 0;
        const std::size_t peak = measured_peak(*c.weights, c.options, content, *c.styles, &estimate);
        INFO(c.name << ": estimate " << estimate << " bytes, measured peak " << peak);
        CHECK(std::abs(double(estimate) - double(peak)) <= 0.1 * double(peak));
    }
}

TEST_CASE("a tensor of 2^31 elements or more is refused, naming the largest size that fits", "[transfer][errors]") {
    const VggWeights w = random_vgg19(1, "relu5_1", 1);
    const TransferOptions o;
    // relu1_1 has 64 channels: 64 x 5792² = 2,147,024,896 fits, 64 x 5793² does not.
    CHECK_NOTHROW(check_tensor_sizes(w, o, 5792, 5792));
    CHECK_THROWS_WITH(check_tensor_sizes(w, o, 6000, 6000),
                      "a 6000x6000 transfer needs a tensor of 2304000000 elements (relu1_1 (64 x 6000 x 6000)); "
                      "libnst's tensors hold at most 2^31 - 1, so the largest size with this aspect ratio is 5792x5792");
    // 3:1 (12000x4000): 64 x 10033 x 3344 = 2,147,222,528 fits; 10034 x 3345 does not.
    CHECK_THROWS_WITH(check_tensor_sizes(w, o, 12000, 4000), Catch::EndsWith("is 10033x3344"));
    // A narrower network's first layer has fewer channels: a larger image fits.
    CHECK_NOTHROW(check_tensor_sizes(random_vgg19(1, "relu5_1", 8), o, 6000, 6000));
}
