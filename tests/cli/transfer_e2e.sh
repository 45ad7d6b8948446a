#!/usr/bin/env bash
# transfer_e2e.sh NST FIXTURES WORKDIR: `nst transfer` end to end on the CPU (NST_DEVICE=cuda: on the GPU,
# where the second run is a second process, so the same bytes mean the plan is reproducible) with the
# 1/8-channel fixture
# at 48 px: the output is a PNG of the right size, the CSV log has its header and one row per image
# (0..iterations), the loss falls, and a second run with the same seed is identical byte for byte.
set -euo pipefail
nst=$1 fx=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
run() { # run NAME INIT
  "$nst" transfer --content "$fx/content.png" --style "$fx/style.png" --output "$work/$1.png" \
    --weights "$fx/vgg19-div8.mat" --size 48 --iterations 8 --init "$2" --seed 5 --device "${NST_DEVICE:-cpu}" \
    --log "$work/$1.csv" --print-every 4 2>"$work/$1.err"
}
fail() { echo "FAIL: $*"; for f in "$work"/*.err; do echo "--- $f"; cat "$f"; done; exit 1; }
for init in content noise; do
  run "$init-a" "$init" || fail "run $init-a exited $?"
  run "$init-b" "$init" || fail "run $init-b exited $?"
  png="$work/$init-a.png"
  [ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || fail "$png is not a PNG"
  size=$(od -An -tu1 -j16 -N8 "$png" | tr -s ' ' | sed 's/^ //')
  [ "$size" = "0 0 0 48 0 0 0 36" ] || fail "$png is not 48x36 (IHDR: $size)"
  csv="$work/$init-a.csv"
  [ "$(head -n 1 "$csv")" = "iteration,total,content,style,tv" ] || fail "bad CSV header: $(head -n 1 "$csv")"
  [ "$(wc -l <"$csv")" -eq 10 ] || fail "expected 10 lines (header + rows 0..8) in $csv"
  [ "$(tail -n 1 "$csv" | cut -d, -f1)" = 8 ] || fail "the last row is not iteration 8"
  first=$(sed -n 2p "$csv" | cut -d, -f2) last=$(tail -n 1 "$csv" | cut -d, -f2)
  awk -v a="$first" -v b="$last" 'BEGIN { exit !(b < a) }' || fail "$init: the loss did not fall ($first -> $last)"
  cmp -s "$work/$init-a.png" "$work/$init-b.png" || fail "$init: two runs with seed 5 differ (image)"
  cmp -s "$work/$init-a.csv" "$work/$init-b.csv" || fail "$init: two runs with seed 5 differ (losses)"
  grep -q "iteration 4/8" "$work/$init-a.err" || fail "no progress line for iteration 4"
done
cmp -s "$work/content-a.png" "$work/noise-a.png" && fail "noise and content starts gave the same image"
echo "PASS: transfer end to end (content and noise inits, reproducible, loss falls)"
