# The CPU backend's sources (lib/src/cpu: cpu_backend.cpp and one file per op), listed once: libnst builds
# them, and the kernel tests compile them in beside the kernels as their twin.
set(NST_CPU_BACKEND_FILES
  adam.cpp
  add.cpp
  batch_norm.cpp
  content_loss.cpp
  conv.cpp
  cpu_backend.cpp
  crop.cpp
  dense.cpp
  global_avg_pool.cpp
  gram.cpp
  image.cpp
  max_pool.cpp
  pool.cpp
  reduce.cpp
  relu.cpp
  sgd.cpp
  softmax_cross_entropy.cpp
  temporal_loss.cpp
  tv_loss.cpp
  vector.cpp
)
set(NST_CPU_BACKEND_SOURCES "")
foreach(_f IN LISTS NST_CPU_BACKEND_FILES)
  list(APPEND NST_CPU_BACKEND_SOURCES "${PROJECT_SOURCE_DIR}/lib/src/cpu/${_f}")
endforeach()
