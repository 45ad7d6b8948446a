// Video (nst/video.hpp): warping by a flow field, Ruder et al.'s consistency weights, OpenCV's DIS flow on a
// picture shifted by a known amount (or, without OpenCV, the one-line reason), and the temporal loss inside a
// transfer (TransferOptions::temporal_*) against its formula and by finite differences.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "../../support/test_images.hpp"
#include "nst/error.hpp"
#include "nst/transfer.hpp"
#include "nst/video.hpp"

using namespace nst;
using namespace nst::test;

namespace {

Flow constant_flow(int width, int height, float dx, float dy) {
    const std::size_t n = std::size_t(width) * height;
    return Flow{width, height, std::vector<float>(n, dx), std::vector<float>(n, dy)};
}

// `image` moved by (dx, dy) whole pixels: out(x, y) = image(x − dx, y − dy), clamped at the border.
Image shifted(const Image& image, int dx, int dy) {
    Image out = image;
    for (int y = 0; y < image.height; ++y)
        for (int x = 0; x < image.width; ++x) {
            const int sx = std::clamp(x - dx, 0, image.width - 1), sy = std::clamp(y - dy, 0, image.height - 1);
            for (int c = 0; c < 3; ++c)
                out.rgb[(std::size_t(y) * image.width + x) * 3 + c] =
                    image.rgb[(std::size_t(sy) * image.width + sx) * 3 + c];
        }
    return out;
}

}  // namespace

TEST_CASE("warp_image: a whole-pixel flow moves the picture, a half-pixel one averages, the border clamps", "[video]") {
    const Image picture = content_picture(40, 30);
    // The next frame is the picture moved right by 3 and down by 2: its pixel p is the previous frame's p − (3, 2).
    const Image warped = warp_image(picture, constant_flow(40, 30, -3.0f, -2.0f));
    CHECK(warped.rgb == shifted(picture, 3, 2).rgb);
    const Image half = warp_image(picture, constant_flow(40, 30, 0.5f, 0.0f));
    for (int x : {0, 7, 38}) {
        const std::size_t p = (std::size_t(5) * 40 + x) * 3;
        const double want = 0.5 * (picture.rgb[p] + picture.rgb[p + 3]);
        CHECK(std::abs(half.rgb[p] - want) <= 0.5);
    }
    CHECK(warp_image(picture, constant_flow(40, 30, 0.0f, 0.0f)).rgb == picture.rgb);
    // With a fill, what enters at the left and top borders comes from the fill, the rest from the warp.
    const Image fill = style_picture(40, 30), filled = warp_image(picture, constant_flow(40, 30, -3.0f, -2.0f), &fill);
    for (int y = 0; y < 30; ++y)
        for (int x = 0; x < 40; ++x) {
            const std::size_t p = (std::size_t(y) * 40 + x) * 3;
            const Image& from = x < 3 || y < 2 ? fill : warped;
            CHECK(filled.rgb[p + 1] == from.rgb[p + 1]);
        }
    CHECK_THROWS_WITH(warp_image(picture, constant_flow(41, 30, 0.0f, 0.0f)),
                      Catch::Contains("a 40x30 image and a 41x30 flow"));
}

TEST_CASE("flow_consistency: agreeing flows are kept, disagreeing pixels and motion boundaries are not", "[video]") {
    const int W = 20, H = 12;
    // Everything moved right 2 and up 1: kept, except what enters at the left and bottom borders (the previous
    // frame did not see it).
    const std::vector<float> moved =
        flow_consistency(constant_flow(W, H, -2.0f, 1.0f), constant_flow(W, H, 2.0f, -1.0f));
    for (int y = 0; y < H; ++y)
        for (int x = 0; x < W; ++x) {
            INFO(x << ", " << y);
            CHECK(moved[std::size_t(y) * W + x] == (x >= 2 && y <= H - 2 ? 1.0f : 0.0f));
        }
    // Forward flow that does not come back (an occlusion): 0 everywhere.
    const std::vector<float> occluded =
        flow_consistency(constant_flow(W, H, -2.0f, 0.0f), constant_flow(W, H, 0.0f, 0.0f));
    CHECK(*std::max_element(occluded.begin(), occluded.end()) == 0.0f);
    // The left half moves, the right half does not: the boundary columns are 0, the rest 1.
    Flow backward = constant_flow(W, H, 0.0f, 0.0f), forward = constant_flow(W, H, 0.0f, 0.0f);
    for (int y = 0; y < H; ++y)
        for (int x = 0; x < W / 2; ++x) {
            backward.dx[std::size_t(y) * W + x] = -1.0f;
            forward.dx[std::size_t(y) * W + x] = 1.0f;
        }
    const std::vector<float> c = flow_consistency(backward, forward);
    CHECK(c[std::size_t(5) * W + 9] == 0.0f);  // beside the boundary
    CHECK(c[std::size_t(5) * W + 10] == 0.0f);
    CHECK(c[std::size_t(5) * W + 2] == 1.0f);  // inside each half
    CHECK(c[std::size_t(5) * W + 16] == 1.0f);
}

TEST_CASE("optical flow finds a known shift (OpenCV DIS), or says what it lacks", "[video]") {
    const Image picture = content_picture(96, 72), moved = shifted(picture, 3, 2);
    std::string why;
    if (!optical_flow_available(&why)) {
        CHECK_THAT(why, Catch::Contains("libopencv-video-dev"));
        CHECK_THROWS_WITH(optical_flow(moved, picture), Catch::Contains("libopencv-video-dev"));
        return;
    }
    const Flow back = optical_flow(moved, picture);  // for each pixel of the moved frame, where it was
    std::vector<float> dx, dy;
    for (int y = 12; y < 60; ++y)
        for (int x = 12; x < 84; ++x) {
            dx.push_back(back.dx[std::size_t(y) * 96 + x]);
            dy.push_back(back.dy[std::size_t(y) * 96 + x]);
        }
    std::nth_element(dx.begin(), dx.begin() + dx.size() / 2, dx.end());
    std::nth_element(dy.begin(), dy.begin() + dy.size() / 2, dy.end());
    INFO("median flow " << dx[dx.size() / 2] << ", " << dy[dy.size() / 2]);
    CHECK(std::abs(dx[dx.size() / 2] + 3.0f) < 0.25f);
    CHECK(std::abs(dy[dy.size() / 2] + 2.0f) < 0.25f);
    CHECK(warp_image(picture, back).rgb.size() == picture.rgb.size());
    CHECK_THROWS_WITH(optical_flow(picture, content_picture(48, 36)), Catch::Contains("a 96x72 and a 48x36 frame"));
}

TEST_CASE("the temporal loss in a transfer: its formula, its gradient, its checks", "[video][transfer]") {
    const VggWeights w = random_vgg19(1, "relu3_1", 16);
    const Image content = content_picture(20, 16), target = style_picture(20, 16);
    TransferOptions o;
    o.content_layers = {{"relu3_1", 1.0f}};
    o.style_layers = {{"relu1_1", 1.0f}, {"relu2_1", 1.0f}};
    o.temporal_weight = 0.8f;
    o.temporal_target = target;
    o.temporal_mask.assign(20 * 16, 1.0f);
    for (std::size_t p = 0; p < o.temporal_mask.size(); p += 3) o.temporal_mask[p] = 0.0f;
    auto b = make_cpu_backend();
    StyleTransfer t(*b, w, content, style_picture(24, 24), o);
    std::vector<float> x(3 * 20 * 16), g;
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(std::sin(0.37 * double(i)) * 40.0);
    const Losses l = t.loss_and_gradient(x, &g);
    // The target in tensor space: RGB minus the network's mean, channel-major.
    double want = 0.0;
    for (int c = 0; c < 3; ++c)
        for (std::size_t p = 0; p < o.temporal_mask.size(); ++p) {
            const double d = x[c * o.temporal_mask.size() + p] - (target.rgb[p * 3 + c] - double(w.mean_rgb[c]));
            want += o.temporal_mask[p] * d * d;
        }
    want *= 0.8 / double(x.size());
    CHECK(l.temporal == Approx(want).epsilon(1e-5));
    CHECK(l.total == Approx(l.content + l.style + l.tv + l.temporal).epsilon(1e-6));
    // Finite differences of the total loss along a few coordinates (the gradient includes the temporal term).
    for (std::size_t i : {std::size_t(0), std::size_t(3), std::size_t(401), std::size_t(959)}) {
        std::vector<float> up = x, down = x;
        up[i] += 0.5f;
        down[i] -= 0.5f;
        const double numeric =
            (double(t.loss_and_gradient(up, nullptr).total) - t.loss_and_gradient(down, nullptr).total) / 1.0;
        INFO("coordinate " << i);
        CHECK(g[i] == Approx(numeric).epsilon(2e-2).margin(1e-3));
    }
    TransferOptions bad = o;
    bad.temporal_mask.pop_back();
    CHECK_THROWS_WITH(StyleTransfer(*b, w, content, target, bad),
                      Catch::Contains("temporal_mask has 319 values for a 20x16 target"));
    bad = o;
    bad.temporal_target = style_picture(16, 16);
    bad.temporal_mask.assign(256, 1.0f);
    CHECK_THROWS_WITH(StyleTransfer(*b, w, content, target, bad),
                      Catch::Contains("the temporal target is 16x16, the output 20x16"));
    bad = o;
    bad.tile = 16;
    CHECK_THROWS_WITH(StyleTransfer(*b, w, content, target, bad),
                      Catch::Contains("the temporal loss (video) runs untiled"));
}
