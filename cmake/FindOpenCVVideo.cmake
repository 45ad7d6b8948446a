# FindOpenCVVideo
# ---------------
# Finds OpenCV's core, imgproc and video modules (DIS optical flow) and makes the imported target
# OpenCVVideo::OpenCVVideo. Debian ships OpenCV's own CMake package only in libopencv-dev, which pulls in
# every module (GUI toolkits included); libnst needs three, from libopencv-video-dev, so it looks for their
# headers and libraries directly. OpenCV_ROOT (CMake or environment variable) is searched first.
#
# Result variables: OpenCVVideo_FOUND, OpenCVVideo_INCLUDE_DIR, OpenCVVideo_LIBRARIES, OpenCVVideo_VERSION.

set(_opencv_hints "${OpenCV_ROOT}" "$ENV{OpenCV_ROOT}")
find_path(OpenCVVideo_INCLUDE_DIR NAMES opencv2/video/tracking.hpp HINTS ${_opencv_hints}
          PATH_SUFFIXES opencv4 include/opencv4 include)
set(OpenCVVideo_LIBRARIES "")
foreach(_module video imgproc core)
  find_library(OpenCVVideo_${_module}_LIBRARY NAMES opencv_${_module} HINTS ${_opencv_hints} PATH_SUFFIXES lib)
  list(APPEND OpenCVVideo_LIBRARIES ${OpenCVVideo_${_module}_LIBRARY})
endforeach()

set(OpenCVVideo_VERSION "")
if(OpenCVVideo_INCLUDE_DIR AND EXISTS "${OpenCVVideo_INCLUDE_DIR}/opencv2/core/version.hpp")
  file(STRINGS "${OpenCVVideo_INCLUDE_DIR}/opencv2/core/version.hpp" _opencv_lines
       REGEX "#define CV_VERSION_(MAJOR|MINOR|REVISION) +[0-9]+")
  foreach(_part MAJOR MINOR REVISION)
    string(REGEX MATCH "CV_VERSION_${_part} +([0-9]+)" _m "${_opencv_lines}")
    set(_opencv_${_part} "${CMAKE_MATCH_1}")
  endforeach()
  set(OpenCVVideo_VERSION "${_opencv_MAJOR}.${_opencv_MINOR}.${_opencv_REVISION}")
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(OpenCVVideo
  REQUIRED_VARS OpenCVVideo_INCLUDE_DIR OpenCVVideo_video_LIBRARY OpenCVVideo_imgproc_LIBRARY OpenCVVideo_core_LIBRARY
  VERSION_VAR OpenCVVideo_VERSION)

if(OpenCVVideo_FOUND AND NOT TARGET OpenCVVideo::OpenCVVideo)
  add_library(OpenCVVideo::OpenCVVideo INTERFACE IMPORTED)
  set_target_properties(OpenCVVideo::OpenCVVideo PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${OpenCVVideo_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "${OpenCVVideo_LIBRARIES}")
endif()
