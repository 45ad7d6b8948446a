// Optical flow (nst/video.hpp): OpenCV's DIS optical flow (Kroeger et al., "Fast Optical Flow using Dense
// Inverse Search", 2016) when libnst is built with OpenCV's video module; otherwise a one-line reason.
#include <string>

#include "nst/error.hpp"
#include "nst/video.hpp"

#ifdef NST_HAVE_OPENCV
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/video/tracking.hpp>
#endif

namespace nst {

#ifdef NST_HAVE_OPENCV

namespace {

cv::Mat luminance(const Image& image) {
    const cv::Mat rgb(image.height, image.width, CV_8UC3, const_cast<std::uint8_t*>(image.rgb.data()));
    cv::Mat gray;
    cv::cvtColor(rgb, gray, cv::COLOR_RGB2GRAY);
    return gray;
}

}  // namespace

bool optical_flow_available(std::string* why) {
    if (why != nullptr) why->clear();
    return true;
}

Flow optical_flow(const Image& from, const Image& to) {
    if (from.width != to.width || from.height != to.height || from.width < 1 || from.height < 1)
        throw Error("optical flow between a " + std::to_string(from.width) + "x" + std::to_string(from.height) +
                    " and a " + std::to_string(to.width) + "x" + std::to_string(to.height) + " frame");
    cv::Mat flow;
    try {
        cv::Ptr<cv::DISOpticalFlow> dis = cv::DISOpticalFlow::create(cv::DISOpticalFlow::PRESET_MEDIUM);
        dis->calc(luminance(from), luminance(to), flow);
    } catch (const cv::Exception& e) {
        throw Error(std::string("optical flow (OpenCV DIS): ") + e.what());
    }
    Flow f{from.width, from.height, {}, {}};
    f.dx.resize(std::size_t(f.width) * f.height);
    f.dy.resize(f.dx.size());
    for (int y = 0; y < f.height; ++y)
        for (int x = 0; x < f.width; ++x) {
            const cv::Vec2f d = flow.at<cv::Vec2f>(y, x);
            f.dx[std::size_t(y) * f.width + x] = d[0];
            f.dy[std::size_t(y) * f.width + x] = d[1];
        }
    return f;
}

#else

namespace {

constexpr const char* kNoOpenCV =
    "optical flow needs OpenCV's video module, and libnst was built without it: install libopencv-video-dev "
    "(scripts/install-deps.sh does) and rebuild";

}  // namespace

bool optical_flow_available(std::string* why) {
    if (why != nullptr) *why = kNoOpenCV;
    return false;
}

Flow optical_flow(const Image&, const Image&) {
    throw Error(kNoOpenCV);
}

#endif

}  // namespace nst
