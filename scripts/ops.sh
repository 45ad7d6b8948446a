#!/usr/bin/env bash
# scripts/ops.sh [FLAG]: the ops of cmake/NstOps.cmake, one a line, in its order (with FLAG: only those that
# have it: KERNELS, SHARED, BENCH or MUTANTS). For scripts that name ops (gpu-check.sh's benchmark filter).
set -euo pipefail
list="$(dirname "$0")/../cmake/NstOps.cmake"
awk -v flag="${1:-}" '
  /^nst_op\(/ {
    line = $0; sub(/^nst_op\(/, "", line); sub(/".*/, "", line)
    n = split(line, words, /[ \t]+/)
    keep = flag == ""
    for (i = 2; i <= n; i++) if (words[i] == flag) keep = 1
    if (keep) print words[1]
  }' "$list"
