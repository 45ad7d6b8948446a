#!/usr/bin/env bash
# The README's test command, and CI's (.ci/run): installs dependencies, then runs each stage once and prints
# every stage's time at the end (also when one fails):
#   1. the CPU-only configuration, built as a machine without the CUDA toolkit builds it (the toolkit hidden)
#      and sanitized (clang, ASan+UBSan, with the libFuzzer targets), in build-cpu/: every CPU test, the
#      kernel tests (libnst's CUDA kernels run on the CPU by the harness) and the hostile-file tests among
#      them (scripts/test-cpu-only.sh);
#      The CUDA backend runs there on the emulated device (ctest label emulated: the [gpu] cases and the app
#      with --device cuda), instrumented for coverage, and scripts/emulated-coverage.sh prints its line
#      coverage of kernels/ and lib/src/cuda/;
#   2. the hostile corpus and each reader fuzzed, from that build (scripts/test-sanitizers.sh);
#   3. deliberately broken kernels, each of which must fail the kernel tests (scripts/kernel-mutants.sh);
#   4. with the CUDA toolkit: libnst built with its CUDA backend for one architecture (NST_CI_CUDA_ARCH,
#      default 90; the README's build makes all of them) in build-cuda/, and the tests whose outcome depends
#      on that configuration (ctest labels gpu and config: the GPU cases, which report Skipped without a
#      GPU, the CUDA plumbing, device choice and --version, the install tree and docs/usage.md's programs).
# docs/testing.md says what each stage proves and what it costs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/stages.sh

stage "dependencies" bash scripts/install-deps.sh
stage "CPU-only build (sanitized, CUDA hidden)" bash scripts/test-cpu-only.sh build
stage "CPU-only tests (sanitized)" bash scripts/test-cpu-only.sh test
stage "CUDA backend's line coverage (emulated)" bash scripts/emulated-coverage.sh build-cpu
stage "hostile corpus and fuzzing" bash scripts/test-sanitizers.sh
stage "kernel mutants" bash scripts/kernel-mutants.sh
if [ -x "$(command -v nvcc || echo "${CUDA_HOME:-/usr/local/cuda}/bin/nvcc")" ]; then
  stage "CUDA build (sm_${NST_CI_CUDA_ARCH:-90})" bash scripts/build.sh build-cuda -DCMAKE_CUDA_ARCHITECTURES="${NST_CI_CUDA_ARCH:-90}"
  stage "CUDA-build tests (gpu, config)" ctest --test-dir build-cuda --output-on-failure -j "$(nproc)" -L '^(gpu|config)$'
else
  stage_skip "CUDA build and its tests" "no CUDA toolkit (nvcc) here"
fi
