#!/usr/bin/env bash
# The README's test command: installs dependencies, builds, runs every test (GPU tests report Skipped on a
# machine without a usable CUDA device; the kernel tests run libnst's CUDA kernels on the CPU under ASan and
# UBSan), then builds and tests the CPU-only configuration as a machine without the CUDA toolkit would
# (scripts/test-cpu-only.sh), checks that deliberately broken kernels fail the kernel tests
# (scripts/kernel-mutants.sh), and runs the host code under ASan+UBSan with the hostile corpus and the fuzz
# targets (scripts/test-sanitizers.sh, docs/reliability.md).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
ctest --test-dir build --output-on-failure -j "$(nproc)"
bash scripts/test-cpu-only.sh
bash scripts/kernel-mutants.sh
bash scripts/test-sanitizers.sh
