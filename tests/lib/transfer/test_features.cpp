// Beyond the notebook: L-BFGS, colour preservation and matching, several styles, style scale, init style.
#include <catch2/catch.hpp>

#include <cmath>
#include <deque>

#include "../../support/reference_ops.hpp"
#include "../../support/test_images.hpp"
#include "nst/error.hpp"
#include "nst/image.hpp"
#include "nst/transfer.hpp"

using namespace nst;
using namespace nst::test;

namespace {

TransferOptions small(OptimizerKind optimizer) {
    TransferOptions o;
    o.optimizer = optimizer;
    o.content_layers = {{"relu2_2", 1.0f}};
    o.style_layers = {{"relu1_1", 1.0f}, {"relu2_1", 1.0f}, {"relu3_1", 1.0f}};
    o.init = InitKind::Content;
    return o;
}

std::vector<float> losses(StyleTransfer& t) {
    std::vector<float> out;
    t.run([&](StyleTransfer::Iteration& it) {
        out.push_back(it.losses().total);
        return true;
    });
    return out;
}

double dot(const std::vector<double>& a, const std::vector<double>& b) {
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
    return s;
}

}  // namespace

TEST_CASE("L-BFGS follows the textbook two-loop recursion with a fixed step", "[features][lbfgs]") {
    // The engine's device-side L-BFGS against the same algorithm written here on the host in double, driving
    // a second engine through loss_and_gradient: the losses of 8 iterations agree within 1e-3 (the engine's
    // recursion is float32 and its dot products accumulate in double; the differences grow slowly).
    const VggWeights w = random_vgg19(2, "relu3_1", 16);
    const Image c = content_picture(20, 16), s = style_picture(20, 16);
    TransferOptions o = small(OptimizerKind::Lbfgs);
    o.iterations = 8;
    o.lbfgs.history = 3;  // the history wraps around within the run
    auto b1 = make_cpu_op_backend(), b2 = make_cpu_op_backend();
    StyleTransfer engine(*b1, w, c, s, o);
    const std::vector<float> engine_losses = losses(engine);

    StyleTransfer driven(*b2, w, c, s, o);
    std::vector<float> xf = std::vector<float>(3 * 20 * 16);
    {  // the content image, as the engine's start
        const std::array<float, 3> mean = w.mean_rgb;
        for (std::size_t p = 0; p < 20 * 16; ++p)
            for (int ch = 0; ch < 3; ++ch) xf[ch * 320 + p] = float(c.rgb[p * 3 + ch]) - mean[ch];
    }
    std::vector<float> gf;
    std::deque<std::pair<Vec, Vec>> pairs;  // (s, y), newest last
    Vec g_prev, s_last;
    double gamma = 1.0;  // H0 = gamma I: changed only by a pair with positive curvature (torch's rule)
    std::vector<float> reference;
    for (int k = 0; k <= o.iterations; ++k) {
        reference.push_back(driven.loss_and_gradient(xf, &gf).total);
        if (k == o.iterations) break;
        const Vec g = to_double(gf);
        Vec step(g.size());
        if (k == 0) {
            double l1 = 0;
            for (double v : g) l1 += std::abs(v);
            const double t = std::min(1.0, 1.0 / l1) * o.lbfgs.lr;
            for (std::size_t i = 0; i < g.size(); ++i) step[i] = -t * g[i];
        } else {
            Vec y(g.size());
            for (std::size_t i = 0; i < g.size(); ++i) y[i] = g[i] - g_prev[i];
            pairs.emplace_back(s_last, y);
            if (static_cast<int>(pairs.size()) > o.lbfgs.history) pairs.pop_front();
            Vec q = g;
            std::vector<double> alpha(pairs.size());
            for (int i = static_cast<int>(pairs.size()) - 1; i >= 0; --i) {
                const double ys = dot(pairs[i].second, pairs[i].first);
                alpha[i] = ys > 1e-10 ? dot(pairs[i].first, q) / ys : 0.0;
                for (std::size_t j = 0; j < q.size(); ++j) q[j] -= alpha[i] * pairs[i].second[j];
            }
            const double ys = dot(pairs.back().second, pairs.back().first);
            if (ys > 1e-10) gamma = ys / dot(pairs.back().second, pairs.back().second);
            for (double& v : q) v *= gamma;
            for (std::size_t i = 0; i < pairs.size(); ++i) {
                const double ysi = dot(pairs[i].second, pairs[i].first);
                const double beta = ysi > 1e-10 ? dot(pairs[i].second, q) / ysi : 0.0;
                for (std::size_t j = 0; j < q.size(); ++j) q[j] += (alpha[i] - beta) * pairs[i].first[j];
            }
            for (std::size_t i = 0; i < g.size(); ++i) step[i] = -o.lbfgs.lr * q[i];
        }
        for (std::size_t i = 0; i < xf.size(); ++i) xf[i] = static_cast<float>(xf[i] + step[i]);
        g_prev = g;
        s_last = step;
    }
    REQUIRE(engine_losses.size() == reference.size());
    for (std::size_t i = 0; i < reference.size(); ++i) {
        INFO("iteration " << i);
        CHECK(engine_losses[i] == Approx(reference[i]).epsilon(1e-3));
    }
}

TEST_CASE("L-BFGS lowers the loss further than Adam in the same iterations, reproducibly", "[features][lbfgs]") {
    const VggWeights w = random_vgg19(5, "relu3_1", 16);
    const Image c = content_picture(24, 20), s = style_picture(24, 20);
    TransferOptions adam = small(OptimizerKind::Adam), lbfgs = small(OptimizerKind::Lbfgs);
    adam.iterations = lbfgs.iterations = 40;
    auto b = make_cpu_op_backend();
    StyleTransfer ta(*b, w, c, s, adam), tl(*b, w, c, s, lbfgs), tl2(*b, w, c, s, lbfgs);
    const auto la = losses(ta), ll = losses(tl), ll2 = losses(tl2);
    CHECK(ll.back() < la.back());
    CHECK(ll.back() < 0.1 * ll.front());
    CHECK(ll == ll2);  // bit for bit
}

TEST_CASE("preserve_colors keeps the content's chroma and the result's luminance within rounding",
          "[features][color]") {
    const Image content = content_picture(40, 30), result = style_picture(40, 30);
    const Image out = preserve_colors(result, content);
    auto ycc = [](const std::uint8_t* p, double* y, double* cb, double* cr) {
        *y = 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
        *cb = 128 - 0.168736 * p[0] - 0.331264 * p[1] + 0.5 * p[2];
        *cr = 128 + 0.5 * p[0] - 0.418688 * p[1] - 0.081312 * p[2];
    };
    int checked = 0;
    for (std::size_t p = 0; p < 1200; ++p) {
        const std::uint8_t* o = &out.rgb[p * 3];
        if (o[0] == 0 || o[0] == 255 || o[1] == 0 || o[1] == 255 || o[2] == 0 || o[2] == 255) continue;  // clamped
        double yo, cbo, cro, yr, cbr, crr, yc, cbc, crc;
        ycc(o, &yo, &cbo, &cro);
        ycc(&result.rgb[p * 3], &yr, &cbr, &crr);
        ycc(&content.rgb[p * 3], &yc, &cbc, &crc);
        // Rounding each of R, G, B to a byte moves Y, Cb and Cr by at most 0.5·(sum of |coefficients|) = 0.5.
        CHECK(std::abs(cbo - cbc) <= 0.5 + 1e-9);
        CHECK(std::abs(cro - crc) <= 0.5 + 1e-9);
        CHECK(std::abs(yo - yr) <= 0.5 + 1e-9);
        ++checked;
    }
    CHECK(checked > 600);
}

TEST_CASE("match_colors gives the style image the content's colour mean and covariance", "[features][color]") {
    const Image content = content_picture(48, 40), style = style_picture(50, 30);
    const Image matched = match_colors(style, content);
    auto stats = [](const Image& im, double mean[3], double cov[3][3]) {
        const std::size_t n = std::size_t(im.width) * im.height;
        for (int i = 0; i < 3; ++i) {
            mean[i] = 0;
            for (std::size_t p = 0; p < n; ++p) mean[i] += im.rgb[p * 3 + i];
            mean[i] /= n;
        }
        for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 3; ++j) {
                cov[i][j] = 0;
                for (std::size_t p = 0; p < n; ++p)
                    cov[i][j] += (im.rgb[p * 3 + i] - mean[i]) * (im.rgb[p * 3 + j] - mean[j]);
                cov[i][j] /= n;
            }
    };
    double mc[3], cc[3][3], mm[3], cm[3][3];
    stats(content, mc, cc);
    stats(matched, mm, cm);
    for (int i = 0; i < 3; ++i) {
        CHECK(mm[i] == Approx(mc[i]).margin(2.0));  // byte rounding and clamping at 0 and 255
        for (int j = 0; j < 3; ++j) CHECK(cm[i][j] == Approx(cc[i][j]).margin(0.05 * cc[i][i] + 5.0));
    }
    CHECK(matched.width == style.width);
}

TEST_CASE("blend weights 1,0 equal a single style; blending an image with itself changes nothing",
          "[features][blend]") {
    const VggWeights w = random_vgg19(3, "relu3_1", 16);
    const Image c = content_picture(20, 16), s1 = style_picture(20, 16), s2 = content_picture(30, 20);
    TransferOptions o = small(OptimizerKind::Adam);
    o.iterations = 5;
    auto b = make_cpu_op_backend();
    StyleTransfer single(*b, w, c, s1, o);
    StyleTransfer blended(*b, w, c, std::vector<StyleImage>{{s1, 1.0f}, {s2, 0.0f}}, o);
    StyleTransfer twice(*b, w, c, std::vector<StyleImage>{{s1, 0.5f}, {s1, 0.5f}}, o);
    StyleTransfer mixed(*b, w, c, std::vector<StyleImage>{{s1, 0.5f}, {s2, 0.5f}}, o);
    const auto l1 = losses(single), l2 = losses(blended), l3 = losses(twice), l4 = losses(mixed);
    CHECK(l1 == l2);
    for (std::size_t i = 0; i < l1.size(); ++i) CHECK(l3[i] == Approx(l1[i]).epsilon(1e-5));
    CHECK(l4.front() != l1.front());
    CHECK_THROWS_WITH(StyleTransfer(*b, w, c, std::vector<StyleImage>{{s1, 0.0f}}, o),
                      "no style image with a blend weight above 0");
}

TEST_CASE("style scale: the Gram targets are per pixel, so a 2x2 tiling at scale 2 matches one tile",
          "[features][scale]") {
    // A pattern whose period divides the tile size: tiling it 2x2 makes the same texture on 4 times the
    // pixels. At --style-scale 2 the tiled image is resized to exactly 2x the output; its Gram matrices,
    // rescaled by the pixel ratio 1/4, must match the single tile's (up to border effects: 10%). Without the
    // rescaling the style loss would be off by a factor of about 16.
    const VggWeights w = random_vgg19(4, "relu2_1", 16);
    const int W = 64, H = 48;
    Image tile{W, H, std::vector<std::uint8_t>(std::size_t(W) * H * 3)};
    for (int y = 0; y < H; ++y)
        for (int x = 0; x < W; ++x)
            for (int ch = 0; ch < 3; ++ch)
                tile.rgb[(std::size_t(y) * W + x) * 3 + ch] =
                    static_cast<std::uint8_t>(128 + 100 * std::sin(2 * M_PI * (x * (ch + 1) / 8.0 + y / 6.0)));
    Image tiled{2 * W, 2 * H, std::vector<std::uint8_t>(std::size_t(4) * W * H * 3)};
    for (int y = 0; y < 2 * H; ++y)
        for (int x = 0; x < 2 * W; ++x)
            for (int ch = 0; ch < 3; ++ch)
                tiled.rgb[(std::size_t(y) * 2 * W + x) * 3 + ch] = tile.rgb[(std::size_t(y % H) * W + x % W) * 3 + ch];
    TransferOptions o;
    o.content_layers = {{"relu1_1", 1.0f}};
    o.style_layers = {{"relu1_1", 1.0f}, {"relu2_1", 1.0f}};
    o.init = InitKind::Content;
    auto b = make_cpu_op_backend();
    const Image content = content_picture(W, H);
    StyleTransfer one(*b, w, content, tile, o);
    o.style_scale = 2.0f;
    StyleTransfer scaled(*b, w, content, tiled, o);
    std::vector<float> g;
    const Losses a = one.loss_and_gradient(std::vector<float>(3 * W * H, 0.0f), &g);
    const Losses t = scaled.loss_and_gradient(std::vector<float>(3 * W * H, 0.0f), &g);
    CHECK(t.style == Approx(a.style).epsilon(0.10));
}

TEST_CASE("init style starts from the style image: its style loss is zero", "[features][init]") {
    const VggWeights w = random_vgg19(6, "relu3_1", 16);
    TransferOptions o = small(OptimizerKind::Adam);
    o.init = InitKind::Style;
    o.iterations = 0;
    auto b = make_cpu_op_backend();
    StyleTransfer t(*b, w, content_picture(20, 16), style_picture(20, 16), o);
    const auto l = losses(t);
    REQUIRE(l.size() == 1);
    StyleTransfer t2(*b, w, content_picture(20, 16), style_picture(20, 16), o);
    t2.run([](StyleTransfer::Iteration& it) {
        CHECK(it.losses().style == 0.0f);
        CHECK(it.losses().content > 0.0f);
        return true;
    });
}

TEST_CASE("bad feature options are refused", "[features][errors]") {
    const VggWeights w = random_vgg19(6, "relu3_1", 16);
    auto b = make_cpu_op_backend();
    const Image c = content_picture(16, 16), s = style_picture(16, 16);
    TransferOptions o = small(OptimizerKind::Lbfgs);
    o.lbfgs.history = 0;
    CHECK_THROWS_WITH(StyleTransfer(*b, w, c, s, o), "lbfgs.history 0 (must be 1 to 1000)");
    o = small(OptimizerKind::Adam);
    o.style_scale = -1;
    CHECK_THROWS_WITH(StyleTransfer(*b, w, c, s, o), Catch::StartsWith("style_scale -1 (must be 0 to 16"));
    o = small(OptimizerKind::Adam);
    CHECK_THROWS_WITH(StyleTransfer(*b, w, c, std::vector<StyleImage>{{s, -1.0f}}, o),
                      Catch::StartsWith("style blend weight -1"));
}
