#!/usr/bin/env bash
# scripts/emulated-coverage.sh [BUILD]: the CUDA backend's line coverage (kernels/ and lib/src/cuda/) under
# the emulated device's tests, from a build configured with -DNST_EMULATED_COVERAGE=ON whose tests have run
# (CI: build-cpu, after the sanitized CPU-only tests). gcovr reads the gcov data through clang's llvm-cov.
# A report: it prints the table and the total, and fails only when there is no coverage data at all.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-cpu}
grep -q '^NST_EMULATED_COVERAGE:BOOL=ON' "$build/CMakeCache.txt" ||
  { echo "emulated-coverage: $build was not configured with -DNST_EMULATED_COVERAGE=ON" >&2; exit 1; }
[ -n "$(find "$build" -name '*.gcda' -print -quit)" ] ||
  { echo "emulated-coverage: no coverage data in $build: run its tests first" >&2; exit 1; }
gcov=gcov
compiler=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt")
if "$compiler" --version 2>/dev/null | grep -q clang; then
  version=$("$compiler" --version | sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -1)
  gcov="$(command -v "llvm-cov-$version" || command -v llvm-cov) gcov"
fi
gcovr --gcov-executable "$gcov" -r . --filter 'kernels/' --filter 'lib/src/cuda/' "$build"
