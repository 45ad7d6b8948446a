# cmake -P run_consumer_test.cmake: installs the libnst build at NST_BUILD_DIR into WORK_DIR/prefix, then
# builds and runs tests/consumer twice: with find_package(nst) and with pkg-config.
foreach(var NST_BUILD_DIR CONSUMER_SOURCE_DIR WORK_DIR GENERATOR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_consumer_test.cmake needs -D${var}=...")
  endif()
endforeach()

function(run)
  execute_process(COMMAND ${ARGV} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  message("$ ${ARGV}\n${out}${err}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "command failed (${rc})")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

set(prefix "${WORK_DIR}/prefix")
file(REMOVE_RECURSE "${WORK_DIR}")
set(config_args)
if(CONFIG)
  set(config_args --config ${CONFIG})
endif()
run(${CMAKE_COMMAND} --install "${NST_BUILD_DIR}" --prefix "${prefix}" ${config_args})

# 1. find_package(nst) -> nst::nst
run(${CMAKE_COMMAND} -S "${CONSUMER_SOURCE_DIR}" -B "${WORK_DIR}/cmake-build" -G "${GENERATOR}"
    "-DCMAKE_PREFIX_PATH=${prefix}" -DCMAKE_BUILD_TYPE=Release)
run(${CMAKE_COMMAND} --build "${WORK_DIR}/cmake-build")
run("${WORK_DIR}/cmake-build/consumer")
if(NOT last_output MATCHES "caught nst::Error: unknown device 'tpu'")
  message(FATAL_ERROR "the find_package consumer did not run as expected")
endif()

# 2. pkg-config nst, plain compiler command line
find_program(PKG_CONFIG pkg-config REQUIRED)
find_program(CXX NAMES c++ g++ REQUIRED)
file(GLOB pc_dirs "${prefix}/lib*/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "${pc_dirs}")
run(${PKG_CONFIG} --cflags --libs nst)
string(STRIP "${last_output}" flags)
separate_arguments(flags UNIX_COMMAND "${flags}")
run(${CXX} -std=c++17 "${CONSUMER_SOURCE_DIR}/main.cpp" ${flags} -o "${WORK_DIR}/consumer-pc")
run("${WORK_DIR}/consumer-pc")
if(NOT last_output MATCHES "consumer: libnst ")
  message(FATAL_ERROR "the pkg-config consumer did not run as expected")
endif()
