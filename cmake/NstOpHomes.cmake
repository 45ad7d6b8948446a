# The op list (cmake/NstOps.cmake) read into variables, the file lists derived from it, and the check that
# every op has exactly its homes and that no file sits at an op's stem without being listed.
#
# include(NstOpHomes) reads the list into
#   NST_OPS                  every op, in the list's order
#   NST_OPS_<FLAG>           the ops with FLAG (KERNELS, SHARED, BENCH, MUTANTS)
#   NST_OP_DOC_<op>          its one-line description
# and defines nst_op_files(VAR TEMPLATE [FLAG]) and nst_check_op_homes(ROOT LIST_FILE MUTANTS_FILE VAR).
#
# As a script, cmake -DROOT=<repository> [-DOPS_FILE=<list>] -P cmake/NstOpHomes.cmake checks ROOT and exits
# non-zero with one line per problem (the ctest one_home_per_op, and its self-test).
cmake_policy(VERSION 3.24)  # as the project, also in script mode (IN_LIST, empty list elements kept)
set(NST_OP_FLAGS KERNELS SHARED BENCH MUTANTS)

# Files that sit in an op's folders without being ops: the launch path every kernel shares, the CPU backend's
# non-op members, and formulas more than one op uses.
set(NST_OP_HOME_EXCEPTIONS
  kernels/launch.cuh
  lib/src/cpu/cpu_backend.cpp
  lib/src/shared/counter_rng.hpp
  lib/src/shared/host_device.hpp)

macro(nst_op name)
  cmake_parse_arguments(_nst_op "${NST_OP_FLAGS}" "" "" ${ARGN})
  list(APPEND NST_OPS ${name})
  foreach(_flag IN LISTS NST_OP_FLAGS)
    if(_nst_op_${_flag})
      list(APPEND NST_OPS_${_flag} ${name})
    endif()
  endforeach()
  set(NST_OP_DOC_${name} "${_nst_op_UNPARSED_ARGUMENTS}")
endmacro()

# Reads LIST_FILE afresh (the variables above, in the caller's scope).
macro(nst_read_ops list_file)
  set(NST_OPS "")
  foreach(_flag IN LISTS NST_OP_FLAGS)
    set(NST_OPS_${_flag} "")
  endforeach()
  include("${list_file}")
endmacro()

# VAR = TEMPLATE with @ replaced by each op's name (of the ops with FLAG, when given).
function(nst_op_files var template)
  set(ops ${NST_OPS})
  if(ARGC GREATER 2)
    set(ops ${NST_OPS_${ARGV2}})
  endif()
  set(files "")
  foreach(op IN LISTS ops)
    string(REPLACE "@" "${op}" f "${template}")
    list(APPEND files "${f}")
  endforeach()
  set(${var} "${files}" PARENT_SCOPE)
endfunction()

# The op stem of each file in ROOT/FOLDER matching GLOB_PATTERN, with PREFIX and SUFFIX removed.
function(_nst_stems var root folder pattern prefix suffix)
  file(GLOB found RELATIVE "${root}" "${root}/${folder}/${pattern}")
  set(stems "")
  foreach(f IN LISTS found)
    if(f IN_LIST NST_OP_HOME_EXCEPTIONS)
      continue()
    endif()
    get_filename_component(name "${f}" NAME)
    string(REGEX REPLACE "^${prefix}(.*)${suffix}$" "\\1" stem "${name}")
    list(APPEND stems "${stem}:${f}")
  endforeach()
  set(${var} "${stems}" PARENT_SCOPE)
endfunction()

# Each home: a file template, the flag that asks for it (ALL: every op), and how to find strays in its folder.
set(_NST_HOMES
  "kernels/@.cu|ALL|kernels|*.cu||\\.cu"
  "lib/src/cpu/@.cpp|ALL|lib/src/cpu|*.cpp||\\.cpp"
  "tests/ops/test_@.cpp|ALL|tests/ops|test_*.cpp|test_|\\.cpp"
  "kernels/@.cuh|KERNELS|kernels|*.cuh||\\.cuh"
  "tests/ops/test_@_kernels.cpp|KERNELS|tests/ops|test_*_kernels.cpp|test_|_kernels\\.cpp"
  "lib/src/shared/@.hpp|SHARED|lib/src/shared|*.hpp||\\.hpp"
  "apps/nst-bench/ops/@.cpp|BENCH|apps/nst-bench/ops|*.cpp||\\.cpp")

# Checks ROOT against the op list LIST_FILE and the mutant table MUTANTS_FILE; VAR = the problems, one a line.
function(nst_check_op_homes root list_file mutants_file var)
  nst_read_ops("${list_file}")
  set(problems "")
  foreach(home IN LISTS _NST_HOMES)
    string(REPLACE "|" ";" h "${home}")
    list(GET h 0 template)
    list(GET h 1 flag)
    list(GET h 2 folder)
    list(GET h 3 pattern)
    list(GET h 4 prefix)
    list(GET h 5 suffix)
    foreach(op IN LISTS NST_OPS)
      string(REPLACE "@" "${op}" f "${template}")
      set(wanted TRUE)
      if(NOT flag STREQUAL "ALL" AND NOT op IN_LIST NST_OPS_${flag})
        set(wanted FALSE)
      endif()
      if(wanted AND NOT EXISTS "${root}/${f}")
        list(APPEND problems "op ${op}: ${f} is missing")
      elseif(NOT wanted AND EXISTS "${root}/${f}")
        list(APPEND problems "op ${op}: ${f} exists but the op list does not give ${op} ${flag}")
      endif()
    endforeach()
    _nst_stems(stems "${root}" "${folder}" "${pattern}" "${prefix}" "${suffix}")
    foreach(entry IN LISTS stems)
      string(REGEX REPLACE ":.*" "" stem "${entry}")
      string(REGEX REPLACE "^[^:]*:" "" f "${entry}")
      if(NOT stem IN_LIST NST_OPS AND NOT (template STREQUAL "tests/ops/test_@.cpp" AND f MATCHES "_kernels\\.cpp$"))
        list(APPEND problems "${f}: '${stem}' is not in the op list (cmake/NstOps.cmake)")
      endif()
    endforeach()
  endforeach()
  _nst_check_mutants("${mutants_file}" problems)
  string(REPLACE ";" "\n" text "${problems}")
  set(${var} "${text}" PARENT_SCOPE)
endfunction()

# Every op with MUTANTS has a line in the mutant table naming its .cuh, and no other op has one.
function(_nst_check_mutants mutants_file problems_var)
  set(problems ${${problems_var}})
  # The lines hold ';', '[' and ']', which CMake's lists would take for separators and grouping.
  file(READ "${mutants_file}" text)
  string(REGEX REPLACE "[][;]" "_" text "${text}")
  string(REPLACE "\n" ";" lines "${text}")
  set(mutated "")
  foreach(line IN LISTS lines)
    if(line MATCHES "^#" OR NOT line MATCHES "\\|")
      continue()
    endif()
    string(REPLACE "|" ";" fields "${line}")
    list(GET fields 1 file)
    string(REGEX REPLACE "\\.cuh$" "" stem "${file}")
    list(APPEND mutated "${stem}")
    if(NOT stem IN_LIST NST_OPS AND NOT "kernels/${file}" IN_LIST NST_OP_HOME_EXCEPTIONS)
      list(APPEND problems "tests/ops/kernel_mutants.txt: a mutant of ${file}, which is no op's kernel file")
    endif()
  endforeach()
  foreach(op IN LISTS NST_OPS)
    if(op IN_LIST NST_OPS_MUTANTS AND NOT op IN_LIST mutated)
      list(APPEND problems "op ${op}: no mutant of kernels/${op}.cuh in tests/ops/kernel_mutants.txt")
    elseif(NOT op IN_LIST NST_OPS_MUTANTS AND op IN_LIST mutated)
      list(APPEND problems "op ${op}: mutants in tests/ops/kernel_mutants.txt but the op list does not give it MUTANTS")
    endif()
  endforeach()
  set(${problems_var} "${problems}" PARENT_SCOPE)
endfunction()

if(CMAKE_SCRIPT_MODE_FILE AND CMAKE_SCRIPT_MODE_FILE STREQUAL CMAKE_CURRENT_LIST_FILE)
  if(NOT DEFINED ROOT)
    message(FATAL_ERROR "usage: cmake -DROOT=<repository> [-DOPS_FILE=<op list>] -P ${CMAKE_CURRENT_LIST_FILE}")
  endif()
  if(NOT DEFINED OPS_FILE)
    set(OPS_FILE "${ROOT}/cmake/NstOps.cmake")
  endif()
  nst_check_op_homes("${ROOT}" "${OPS_FILE}" "${ROOT}/tests/ops/kernel_mutants.txt" problems)
  if(problems)
    message(FATAL_ERROR "one home per op:\n${problems}")
  endif()
  list(LENGTH NST_OPS count)
  message(STATUS "one home per op: ${count} ops, each in its homes, no stray files")
else()
  nst_read_ops("${CMAKE_CURRENT_LIST_DIR}/NstOps.cmake")
endif()
