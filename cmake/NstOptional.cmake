# Optional dependencies, each decided like NST_WITH_CUDA: left unset, ON when found and OFF otherwise with one
# message saying what is missing; -DNST_WITH_X=ON makes it required, OFF builds without looking.
#   NST_WITH_MPI     Open MPI (Debian's libopenmpi-dev): nst batch over the ranks of mpirun/srun (MPI::MPI_CXX).
#   NST_WITH_OPENCV  OpenCV's video module (Debian's libopencv-video-dev): optical flow for nst batch --video.
if(NOT DEFINED NST_WITH_MPI)
  find_package(MPI QUIET COMPONENTS CXX)
  set(NST_WITH_MPI ${MPI_CXX_FOUND} CACHE BOOL "Build nst batch with MPI (many processes, GPUs and machines)")
  if(NOT MPI_CXX_FOUND)
    message(STATUS "libnst: nst batch without MPI: no MPI found (install libopenmpi-dev; -DNST_WITH_MPI=ON makes it required)")
  endif()
endif()
if(NST_WITH_MPI)
  find_package(MPI REQUIRED COMPONENTS CXX)
endif()

if(NOT DEFINED NST_WITH_OPENCV)
  find_package(OpenCVVideo QUIET)
  set(NST_WITH_OPENCV ${OpenCVVideo_FOUND} CACHE BOOL "Build video optical flow with OpenCV (nst batch --video)")
  if(NOT OpenCVVideo_FOUND)
    message(STATUS "libnst: no optical flow for nst batch --video: OpenCV's video module not found "
                   "(install libopencv-video-dev; -DNST_WITH_OPENCV=ON makes it required)")
  endif()
endif()
if(NST_WITH_OPENCV)
  find_package(OpenCVVideo REQUIRED)
endif()
