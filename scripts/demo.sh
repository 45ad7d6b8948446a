#!/usr/bin/env bash
# The README's demo command: installs dependencies, builds the nst app alone (in build-demo/: with the CUDA
# backend for this machine's GPU when one is visible, else the CPU backend alone), and paints Debian
# darknet's dog photo in the style of Munch's The Scream (also shipped by darknet), into
# demo-output/dog-scream.png.
#   weights: $NST_WEIGHTS or models/imagenet-vgg-verydeep-19.mat when present, else the built-in random
#            VGG-19 (normalised; one notice line says so)
#   size:    512 px and 500 iterations on a GPU, 256 px and 300 iterations on the CPU (about 1.5 minutes on
#            2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
if ! command -v nvcc >/dev/null; then
  export PATH="${CUDA_HOME:-/usr/local/cuda}/bin:$PATH"
fi
# Measured on 2 cores (2026-12-03, a fresh clone): the CPU-only nst in 65 s; with CUDA for one architecture
# (sm_90) in 130 s. The whole demo from a fresh clone with the packages present: 2 min 43 s.
if command -v nvcc >/dev/null && nvidia-smi -L >/dev/null 2>&1; then
  echo "demo: building nst with its CUDA backend for this machine's GPU (about 2 minutes on 2 cores; $(nproc) here)"
  flags=(-DCMAKE_CUDA_ARCHITECTURES=native)
else
  echo "demo: no GPU visible: building nst with the CPU backend alone (about 1 minute on 2 cores; $(nproc) here)"
  flags=(-DNST_WITH_CUDA=OFF)
fi
cmake -S . -B build-demo -G Ninja -DCMAKE_BUILD_TYPE=Release -DNST_BUILD_TESTS=OFF "${flags[@]}" >/dev/null
cmake --build build-demo -j "$(nproc)" --target nst_app >/dev/null
nst=build-demo/apps/nst
echo "demo: built; the transfer runs 512 px, 500 iterations on a GPU, or 256 px, 300 iterations on the CPU (about 1.5 minutes on 2 cores)"

# The pictures: from an installed darknet package, else from its .deb, unpacked into .cache/ without
# installing it (and its OpenCV dependencies).
data=/usr/share/darknet/data
if [ ! -f "$data/dog.jpg" ]; then
  data=.cache/darknet/usr/share/darknet/data
  if [ ! -f "$data/dog.jpg" ]; then
    mkdir -p .cache/darknet
    if ! (cd .cache/darknet && apt-get download darknet >/dev/null 2>&1 && dpkg -x darknet_*.deb .); then
      echo "demo: cannot fetch Debian's darknet package for its sample pictures (apt-get download darknet failed);" \
           "run nst transfer --content PHOTO --style PAINTING --output OUT.png yourself" >&2
      exit 1
    fi
  fi
fi

weights=random:0
if [ -n "${NST_WEIGHTS:-}" ] && [ -f "$NST_WEIGHTS" ]; then
  weights=$NST_WEIGHTS
elif [ -f models/imagenet-vgg-verydeep-19.mat ]; then
  weights=models/imagenet-vgg-verydeep-19.mat
else
  echo "demo: no VGG-19 weights file (docs/weights.md says where to get it): using the built-in random VGG-19"
fi

if "$nst" --version | grep -q "^GPU 0:"; then size=512 iterations=500; else size=256 iterations=300; fi
mkdir -p demo-output
"$nst" transfer --content "$data/dog.jpg" --style "$data/scream.jpg" --output demo-output/dog-scream.png \
  --weights "$weights" --size "$size" --iterations "$iterations" --print-every 50
echo "demo: content $data/dog.jpg, style $data/scream.jpg (The Scream, Edvard Munch, public domain)"
echo "demo: result demo-output/dog-scream.png"
