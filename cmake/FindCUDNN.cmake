# FindCUDNN
# ---------
# Finds NVIDIA cuDNN 8 or 9 and makes the imported target CUDNN::cudnn.
#
# Search order (first hit wins):
#   CUDNN_ROOT (CMake or environment variable),
#   the CUDA toolkit found by find_package(CUDAToolkit) and /usr/local/cuda (lib, lib64, include),
#   pip-style trees: <site-packages>/nvidia/cudnn/{include,lib} of the python3 on PATH and of the
#   usual system site-packages folders.
#
# Result variables: CUDNN_FOUND, CUDNN_INCLUDE_DIR, CUDNN_LIBRARY, CUDNN_VERSION (e.g. 9.19.0).

set(_cudnn_hints)
foreach(_root IN ITEMS "${CUDNN_ROOT}" "$ENV{CUDNN_ROOT}" "${CUDAToolkit_LIBRARY_ROOT}"
                       "${CUDAToolkit_TARGET_DIR}" "/usr/local/cuda")
  if(_root)
    list(APPEND _cudnn_hints "${_root}")
  endif()
endforeach()

# pip wheels (nvidia-cudnn-cu12/cu13) unpack to site-packages/nvidia/cudnn/{include,lib}.
set(_cudnn_site_dirs)
find_program(_cudnn_python3 NAMES python3)
if(_cudnn_python3)
  execute_process(
    COMMAND "${_cudnn_python3}" -c "import site, sys; print(';'.join(site.getsitepackages() + [site.getusersitepackages()]))"
    OUTPUT_VARIABLE _cudnn_py_sites OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE _cudnn_py_rc)
  if(_cudnn_py_rc EQUAL 0)
    list(APPEND _cudnn_site_dirs ${_cudnn_py_sites})
  endif()
endif()
file(GLOB _cudnn_sys_sites LIST_DIRECTORIES true
     /usr/lib/python3*/site-packages /usr/lib/python3/dist-packages
     /usr/local/lib/python3*/site-packages /usr/local/lib/python3*/dist-packages)
list(APPEND _cudnn_site_dirs ${_cudnn_sys_sites})
foreach(_site IN LISTS _cudnn_site_dirs)
  if(IS_DIRECTORY "${_site}/nvidia/cudnn")
    list(APPEND _cudnn_hints "${_site}/nvidia/cudnn")
  endif()
endforeach()

find_path(CUDNN_INCLUDE_DIR NAMES cudnn_version.h cudnn.h
          HINTS ${_cudnn_hints} PATH_SUFFIXES include)
# The pip layout ships only the versioned name libcudnn.so.9.
find_library(CUDNN_LIBRARY NAMES cudnn libcudnn.so.9 libcudnn.so.8
             HINTS ${_cudnn_hints} PATH_SUFFIXES lib lib64 lib/x64)

set(CUDNN_VERSION "")
if(CUDNN_INCLUDE_DIR)
  set(_cudnn_version_header "${CUDNN_INCLUDE_DIR}/cudnn_version.h")
  if(NOT EXISTS "${_cudnn_version_header}")
    set(_cudnn_version_header "${CUDNN_INCLUDE_DIR}/cudnn.h")
  endif()
  file(STRINGS "${_cudnn_version_header}" _cudnn_version_lines REGEX "#define CUDNN_(MAJOR|MINOR|PATCHLEVEL) ")
  foreach(_part MAJOR MINOR PATCHLEVEL)
    string(REGEX MATCH "#define CUDNN_${_part} +([0-9]+)" _m "${_cudnn_version_lines}")
    set(_cudnn_${_part} "${CMAKE_MATCH_1}")
  endforeach()
  if(NOT "${_cudnn_MAJOR}" STREQUAL "")
    set(CUDNN_VERSION "${_cudnn_MAJOR}.${_cudnn_MINOR}.${_cudnn_PATCHLEVEL}")
  endif()
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(CUDNN
  REQUIRED_VARS CUDNN_LIBRARY CUDNN_INCLUDE_DIR
  VERSION_VAR CUDNN_VERSION)

if(CUDNN_FOUND AND NOT TARGET CUDNN::cudnn)
  add_library(CUDNN::cudnn SHARED IMPORTED)
  set_target_properties(CUDNN::cudnn PROPERTIES
    IMPORTED_LOCATION "${CUDNN_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${CUDNN_INCLUDE_DIR}")
endif()
mark_as_advanced(CUDNN_INCLUDE_DIR CUDNN_LIBRARY _cudnn_python3)
