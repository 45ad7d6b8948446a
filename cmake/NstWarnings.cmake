# nst_target_warnings(<target>): -Wall -Wextra -Werror on host code (C++ and the host side of .cu files)
# and every nvcc/device warning as an error. Only for libnst's own targets.
function(nst_target_warnings target)
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Werror>
    $<$<COMPILE_LANGUAGE:CUDA>:-Xcompiler=-Wall,-Wextra,-Werror --Werror=all-warnings>)
endfunction()
