# The ctest one_home_per_op: cmake -DROOT=<repository> -DWORK=<scratch folder> -P one_home_per_op.cmake
# 1. The repository: every op of cmake/NstOps.cmake has its homes, and no file sits at an op's stem unlisted.
# 2. The check itself, on a copy of the op folders: an op added to the list without its files, a stray file
#    at an op-like stem, a missing test and a mutant of an unlisted kernel must each be reported.
include("${ROOT}/cmake/NstOpHomes.cmake")

function(check root list_file what)
  nst_check_op_homes("${root}" "${list_file}" "${root}/tests/ops/kernel_mutants.txt" problems)
  set(problems "${problems}" PARENT_SCOPE)
endfunction()

check("${ROOT}" "${ROOT}/cmake/NstOps.cmake" "the repository")
if(problems)
  message(FATAL_ERROR "one home per op:\n${problems}")
endif()
list(LENGTH NST_OPS count)
message(STATUS "the repository: ${count} ops, each in its homes, no stray files")

# expect(WHAT LINE...): the last check failed and reported every LINE.
function(expect what)
  if(NOT problems)
    message(FATAL_ERROR "self-test: ${what} was not reported")
  endif()
  foreach(line IN LISTS ARGN)
    string(FIND "${problems}" "${line}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "self-test: ${what}: expected '${line}' among:\n${problems}")
    endif()
  endforeach()
  message(STATUS "self-test: ${what}: reported")
endfunction()

file(REMOVE_RECURSE "${WORK}")
foreach(folder kernels lib/src/cpu lib/src/shared tests/ops apps/nst-bench/ops cmake)
  file(COPY "${ROOT}/${folder}/" DESTINATION "${WORK}/${folder}")
endforeach()
set(list "${WORK}/cmake/NstOps.cmake")
check("${WORK}" "${list}" "the copy")
if(problems)
  message(FATAL_ERROR "self-test: the unchanged copy fails:\n${problems}")
endif()

file(APPEND "${list}" "nst_op(frobnicate KERNELS SHARED BENCH MUTANTS \"an op with no files\")\n")
check("${WORK}" "${list}" "a new op")
expect("an op in the list without its files"
       "op frobnicate: kernels/frobnicate.cu is missing" "op frobnicate: lib/src/cpu/frobnicate.cpp is missing"
       "op frobnicate: tests/ops/test_frobnicate.cpp is missing" "op frobnicate: kernels/frobnicate.cuh is missing"
       "op frobnicate: tests/ops/test_frobnicate_kernels.cpp is missing"
       "op frobnicate: lib/src/shared/frobnicate.hpp is missing"
       "op frobnicate: apps/nst-bench/ops/frobnicate.cpp is missing"
       "op frobnicate: no mutant of kernels/frobnicate.cuh")
file(COPY "${ROOT}/cmake/NstOps.cmake" DESTINATION "${WORK}/cmake")

foreach(stray kernels/stray.cu lib/src/cpu/stray.cpp tests/ops/test_stray.cpp kernels/stray.cuh)
  file(WRITE "${WORK}/${stray}" "")
  check("${WORK}" "${list}" "${stray}")
  expect("a file at an op's stem that the list does not name (${stray})"
         "${stray}: 'stray' is not in the op list")
  file(REMOVE "${WORK}/${stray}")
endforeach()

file(REMOVE "${WORK}/tests/ops/test_gram.cpp")
check("${WORK}" "${list}" "a missing test")
expect("an op without its test" "op gram: tests/ops/test_gram.cpp is missing")
file(COPY "${ROOT}/tests/ops/test_gram.cpp" DESTINATION "${WORK}/tests/ops")

file(APPEND "${WORK}/tests/ops/kernel_mutants.txt" "relu: a kernel it does not have|relu.cuh|1|a|b|[relu]\n")
check("${WORK}" "${list}" "a mutant of an op without MUTANTS")
expect("a mutant of an op the list gives no MUTANTS"
       "op relu: mutants in tests/ops/kernel_mutants.txt but the op list does not give it MUTANTS")
file(REMOVE_RECURSE "${WORK}")
