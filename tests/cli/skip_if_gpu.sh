#!/usr/bin/env bash
# skip_if_gpu.sh NST -- COMMAND...: exits 77 (ctest: Skipped) on a machine with a usable CUDA device,
# else runs COMMAND: for tests of what happens without one.
nst=$1
shift 2
if "$nst" --version | grep -q "^GPU 0:"; then echo "SKIPPED: a CUDA device is present"; exit 77; fi
exec "$@"
