#!/usr/bin/env bash
# scripts/build.sh [DIR [CMAKE_ARGS...]]: configures and builds libnst, its apps and tests in DIR (default
# build/; Release unless BUILD_TYPE says otherwise), for every CUDA architecture this nvcc supports unless
# CMAKE_ARGS choose (scripts/test.sh builds one, -DCMAKE_CUDA_ARCHITECTURES=90, in build-cuda/).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
[ $# -gt 0 ] && shift
if ! command -v nvcc >/dev/null; then
  export PATH="${CUDA_HOME:-/usr/local/cuda}/bin:$PATH"
fi
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" "$@"
cmake --build "$dir" -j "$(nproc)"
