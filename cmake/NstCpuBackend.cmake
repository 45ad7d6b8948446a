# The CPU backend's sources: cpu_backend.cpp (memory, timing) and lib/src/cpu/<op>.cpp for every op in
# cmake/NstOps.cmake. libnst builds them, and the kernel tests compile them in beside the kernels as their twin.
nst_op_files(NST_CPU_BACKEND_SOURCES "${PROJECT_SOURCE_DIR}/lib/src/cpu/@.cpp")
list(APPEND NST_CPU_BACKEND_SOURCES "${PROJECT_SOURCE_DIR}/lib/src/cpu/cpu_backend.cpp")
