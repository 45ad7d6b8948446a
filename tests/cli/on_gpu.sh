#!/usr/bin/env bash
# on_gpu.sh NST SCRIPT ARGS...: runs a CLI test script with NST_DEVICE=cuda. Exits 77 (ctest: Skipped) only
# where there is no GPU to run on: no NVIDIA device node, or an nst built without CUDA. With a GPU the script
# runs, and a GPU nst cannot use fails it (the script's --device cuda says why).
nst=$1
shift
if [ ! -e /dev/nvidiactl ] && [ ! -e /dev/nvidia0 ]; then echo "SKIPPED: no NVIDIA GPU"; exit 77; fi
if "$nst" --version | grep -q "CPU only"; then echo "SKIPPED: nst was built without CUDA"; exit 77; fi
NST_DEVICE=cuda exec bash "$@"
