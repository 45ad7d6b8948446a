#!/usr/bin/env bash
# Configures and builds libnst, its apps and tests in build/ (Release unless BUILD_TYPE says otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v nvcc >/dev/null; then
  export PATH="${CUDA_HOME:-/usr/local/cuda}/bin:$PATH"
fi
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}"
cmake --build build -j "$(nproc)"
