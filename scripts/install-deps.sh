#!/usr/bin/env bash
# Installs what libnst needs from Debian's packages, once: a second run installs nothing.
# The CUDA 13 toolkit with cuDNN 9 and cuBLAS is looked for under /usr/local/cuda (or $CUDA_HOME), not
# installed; without it libnst builds its CPU backend alone (cmake/NstCuda.cmake), and this says so.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git xz-utils
  libmatio-dev      # MatConvNet .mat weights
  libstb-dev        # stb_image (BMP, TGA), stb_image_resize
  libjpeg-dev       # libjpeg-turbo: JPEG in and out
  libpng-dev        # PNG in and out
  catch2            # tests (v2.13)
  libcli11-dev      # argument parsing
  libbenchmark-dev  # nst-bench
  libopenblas-openmp-dev  # the CPU backend's SGEMM (the OpenMP-threaded OpenBLAS: cmake/FindOpenBLAS.cmake)
  libboost-context-dev    # the kernel tests' fibers (tests/harness)
  clang libclang-rt-dev libomp-dev  # scripts/test-sanitizers.sh: ASan+UBSan and libFuzzer builds
  gcovr                             # scripts/emulated-coverage.sh: the CUDA backend's line coverage
  libopenmpi-dev openmpi-bin        # nst batch over MPI ranks (mpirun, srun); optional at build time
  libopencv-video-dev               # nst batch --video: DIS optical flow; optional at build time
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "install-deps: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "install-deps: all Debian packages present"
fi

cuda=${CUDA_HOME:-/usr/local/cuda}
nvcc=$(command -v nvcc || echo "$cuda/bin/nvcc")
if [ ! -x "$nvcc" ]; then
  echo "install-deps: no nvcc on PATH or in $cuda/bin: libnst will build its CPU backend alone (install the CUDA 13 toolkit, or set CUDA_HOME, for the CUDA backend)"
  exit 0
fi
if ! ls "$cuda"/include/cudnn_version.h >/dev/null 2>&1 && [ -z "${CUDNN_ROOT:-}" ]; then
  echo "install-deps: no cuDNN headers in $cuda/include (install cuDNN 9 there or set CUDNN_ROOT): CMake will look further, and build the CPU backend alone if it finds none"
fi
echo "install-deps: $("$nvcc" --version | tail -n 1)"
