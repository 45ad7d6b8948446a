# FindOpenBLAS
# ------------
# Finds OpenBLAS (its CBLAS interface) and makes the imported target OpenBLAS::OpenBLAS.
#
# Debian installs one folder per threading model (openblas-openmp, openblas-pthread, openblas-serial) under
# the multiarch library and include folders. libnst prefers the OpenMP build: it shares libnst's OpenMP
# thread pool, while the pthreads build's threads and OpenMP's spinning workers fight over the cores (a
# 10-iteration transfer took 7.8 s instead of 3.7 s on a 2-core machine). OpenBLAS_ROOT (CMake or
# environment variable) and CMAKE_PREFIX_PATH are searched first.
#
# Result variables: OpenBLAS_FOUND, OpenBLAS_INCLUDE_DIR, OpenBLAS_LIBRARY, OpenBLAS_THREADING (openmp,
# pthread, serial or unknown), OpenBLAS_VERSION (from openblas_config.h, when it says).

set(_openblas_suffixes openblas-openmp openblas-pthread openblas-serial openblas)
set(_openblas_hints "${OpenBLAS_ROOT}" "$ENV{OpenBLAS_ROOT}")

find_path(OpenBLAS_INCLUDE_DIR NAMES cblas.h openblas_config.h
          HINTS ${_openblas_hints} PATH_SUFFIXES ${_openblas_suffixes} include)
find_library(OpenBLAS_LIBRARY NAMES openblas
             HINTS ${_openblas_hints} PATH_SUFFIXES ${_openblas_suffixes} lib)

set(OpenBLAS_THREADING unknown)
foreach(_model openmp pthread serial)
  if(OpenBLAS_LIBRARY MATCHES "openblas-${_model}/")
    set(OpenBLAS_THREADING ${_model})
  endif()
endforeach()

set(OpenBLAS_VERSION "")
if(OpenBLAS_INCLUDE_DIR AND EXISTS "${OpenBLAS_INCLUDE_DIR}/openblas_config.h")
  file(STRINGS "${OpenBLAS_INCLUDE_DIR}/openblas_config.h" _openblas_version_line
       REGEX "#define OPENBLAS_VERSION ")
  string(REGEX MATCH "OpenBLAS ([0-9.]+)" _m "${_openblas_version_line}")
  set(OpenBLAS_VERSION "${CMAKE_MATCH_1}")
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(OpenBLAS
  REQUIRED_VARS OpenBLAS_LIBRARY OpenBLAS_INCLUDE_DIR
  VERSION_VAR OpenBLAS_VERSION)

if(OpenBLAS_FOUND AND NOT TARGET OpenBLAS::OpenBLAS)
  add_library(OpenBLAS::OpenBLAS SHARED IMPORTED)
  set_target_properties(OpenBLAS::OpenBLAS PROPERTIES
    IMPORTED_LOCATION "${OpenBLAS_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${OpenBLAS_INCLUDE_DIR}")
  if(NOT OpenBLAS_THREADING STREQUAL "openmp")
    message(STATUS "OpenBLAS: the ${OpenBLAS_THREADING} build (${OpenBLAS_LIBRARY}); the OpenMP build "
                   "(Debian: libopenblas-openmp-dev) is about twice as fast for libnst")
  endif()
endif()
mark_as_advanced(OpenBLAS_INCLUDE_DIR OpenBLAS_LIBRARY)
