#!/usr/bin/env bash
# scripts/test-cpu-only.sh [build|test|all]: the CPU-only configuration, built as on a machine without the
# CUDA toolkit and sanitized, in build-cpu/: clang with AddressSanitizer and UndefinedBehaviorSanitizer
# (every report fatal, leaks included), the libFuzzer targets too (-DNST_FUZZ=ON); then every test
# (ctest). As root where `unshare` works, the toolkit really is hidden (a private mount namespace: empty
# folders over /usr/local/cuda*, nothing executable under nvcc's names on PATH), so the build must find on
# its own that there is no CUDA (cmake/NstCuda.cmake); elsewhere it is configured with -DNST_WITH_CUDA=OFF.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
case "$what" in build | test | all) ;; *) echo "usage: $0 [build|test|all]" >&2; exit 2 ;; esac
if [ "$what" = test ]; then
  export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=0:detect_stack_use_after_return=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  export LSAN_OPTIONS=suppressions=$PWD/tests/fuzz/lsan.supp:print_suppressions=0
  ctest --test-dir build-cpu --output-on-failure -j "$(nproc)" -LE emulated_open
  exit
fi
if [ -z "${NST_CPU_ONLY_NAMESPACE:-}" ] && [ "$(id -u)" -eq 0 ] && unshare -m --propagation private true 2>/dev/null; then
  NST_CPU_ONLY_NAMESPACE=$(readlink /proc/self/ns/mnt)  # the caller's: the child checks that it left it
  export NST_CPU_ONLY_NAMESPACE
  exec unshare -m --propagation private bash "$0" "$what"
fi
flags=()
executables() { # executables NAME: every executable file called NAME in a folder of PATH
  local d dirs
  IFS=: read -ra dirs <<<"$PATH"
  for d in "${dirs[@]}"; do
    if [ -f "$d/$1" ] && [ -x "$d/$1" ]; then echo "$d/$1"; fi
  done
}
# Mounts only inside the private namespace made above, never in the caller's.
if [ -n "${NST_CPU_ONLY_NAMESPACE:-}" ] && [ "$(readlink /proc/self/ns/mnt)" != "$NST_CPU_ONLY_NAMESPACE" ]; then
  empty=$(mktemp -d)
  for d in /usr/local/cuda*; do [ -d "$d" ] && mount --bind "$empty" "$d"; done
  for tool in nvcc ptxas nvlink fatbinary cudafe++ bin2c; do
    for f in $(executables "$tool"); do mount --bind /dev/null "$f"; done
  done
  if [ -n "$(executables nvcc)" ] || [ -e /usr/local/cuda/include/cuda_runtime.h ]; then
    echo "test-cpu-only: CUDA is still visible" >&2
    exit 1
  fi
  echo "test-cpu-only: CUDA toolkit hidden (no nvcc, empty /usr/local/cuda*)"
else
  echo "test-cpu-only: cannot hide the toolkit here (needs root and unshare): configuring with -DNST_WITH_CUDA=OFF"
  flags=(-DNST_WITH_CUDA=OFF)
fi
cmake -S . -B build-cpu -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DNST_FUZZ=ON -DNST_EMULATED_COVERAGE=ON "${flags[@]}"
grep -q '^NST_WITH_CUDA:BOOL=OFF' build-cpu/CMakeCache.txt || { echo "test-cpu-only: CUDA was not left out" >&2; exit 1; }
cmake --build build-cpu -j "$(nproc)"
if [ "$what" = all ]; then exec bash "$0" test; fi
