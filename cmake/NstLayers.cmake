# The layers of lib/src, kernels/ and apps/, and which private folders each may include (docs/architecture.md).
# Public headers (#include "nst/...") are the interface and may be included everywhere; a quoted include
# without a folder is the file's own folder. Every other quoted include names a folder, which must be the
# file's own or one listed for it here.
#
# cmake -DROOT=<repository> -P cmake/NstLayers.cmake: one line per include that points up or sideways; the
# ctest includes_point_down.
cmake_policy(VERSION 3.24)

# layer | folder | the private folders (or single headers) it may include besides its own
set(NST_LAYERS
  "shared|lib/src/shared|core/op_shapes.hpp"
  "core|lib/src/core|"
  "cpu|lib/src/cpu|core shared"
  "cuda|lib/src/cuda|core shared"
  "kernels|kernels|core shared cuda"
  "io|lib/src/io|core shared"
  "transfer|lib/src/transfer|core shared io"
  "train|lib/src/train|core shared io"
  "nst|apps/nst|"
  "nst-bench|apps/nst-bench|core/op_backend.hpp")

function(nst_check_layers root var)
  set(problems "")
  foreach(entry IN LISTS NST_LAYERS)
    string(REPLACE "|" ";" fields "${entry}")
    list(GET fields 0 layer)
    list(GET fields 1 folder)
    list(GET fields 2 allowed)
    get_filename_component(own "${folder}" NAME)
    set(allowed_text "${own}/ ${allowed}")
    separate_arguments(allowed UNIX_COMMAND "${allowed}")
    file(GLOB_RECURSE files RELATIVE "${root}" "${root}/${folder}/*.cpp" "${root}/${folder}/*.hpp"
         "${root}/${folder}/*.cu" "${root}/${folder}/*.cuh")
    foreach(f IN LISTS files)
      file(STRINGS "${root}/${f}" includes REGEX "^#include \"[^\"]+/[^\"]+\"")
      foreach(line IN LISTS includes)
        string(REGEX REPLACE "^#include \"([^\"]+)\".*" "\\1" path "${line}")
        string(REGEX REPLACE "/.*" "" top "${path}")
        if(top STREQUAL "nst" OR top STREQUAL own OR top STREQUAL "generated" OR top STREQUAL ".."
           OR top IN_LIST allowed OR path IN_LIST allowed)
          continue()
        endif()
        list(APPEND problems "${f}: includes ${path}, but the ${layer} layer may include only ${allowed_text}")
      endforeach()
    endforeach()
  endforeach()
  string(REPLACE ";" "\n" text "${problems}")
  set(${var} "${text}" PARENT_SCOPE)
endfunction()

if(CMAKE_SCRIPT_MODE_FILE STREQUAL CMAKE_CURRENT_LIST_FILE)
  nst_check_layers("${ROOT}" problems)
  if(problems)
    message(FATAL_ERROR "includes that do not point down the layers:\n${problems}")
  endif()
  message(STATUS "every private include points down the layers")
endif()
