#!/usr/bin/env bash
# features_e2e.sh NST FIXTURES WORKDIR: the features beyond the notebook through `nst transfer` on the CPU
# (NST_DEVICE=cuda: on the GPU) with the 1/8-channel fixture: multi-scale (explicit and by --min-size), L-BFGS, colour preservation and
# matching, two blended styles, style scale and init style.
set -euo pipefail
nst=$1 fx=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
common=(--content "$fx/content.png" --style "$fx/style.png" --weights "$fx/vgg19-div8.mat" --device "${NST_DEVICE:-cpu}")
fail() { echo "FAIL: $*"; cat "$work"/*.err 2>/dev/null; exit 1; }
png_size() { od -An -tu1 -j16 -N8 "$1" | tr -s ' ' | sed 's/^ //'; }

"$nst" transfer "${common[@]}" --output "$work/ms.png" --size 48 --scales 24,32,48 --iterations 3 \
  --log "$work/ms.csv" 2>"$work/ms.err" || fail "multi-scale run exited $?"
[ "$(png_size "$work/ms.png")" = "0 0 0 48 0 0 0 36" ] || fail "multi-scale output is not 48x36"
[ "$(wc -l <"$work/ms.csv")" -eq 11 ] || fail "multi-scale log: expected header + rows 0..9"
[ "$(tail -n 1 "$work/ms.csv" | cut -d, -f1)" = 9 ] || fail "multi-scale log: the last row is not step 9"
grep -q "scale 3/3 (48x36)" "$work/ms.err" || fail "no progress line for scale 3/3"

"$nst" transfer "${common[@]}" --output "$work/ladder.png" --size 48 --min-size 20 --iterations 1 \
  2>"$work/ladder.err" || fail "--min-size run exited $?"
grep -q "scale 4/4 (48x36)" "$work/ladder.err" || fail "--min-size 20 --size 48 should run 20, 28, 40, 48"

"$nst" transfer "${common[@]}" --output "$work/lbfgs.png" --size 40 --iterations 20 --optimizer lbfgs \
  --log "$work/lbfgs.csv" 2>"$work/lbfgs.err" || fail "L-BFGS run exited $?"
first=$(sed -n 2p "$work/lbfgs.csv" | cut -d, -f2) last=$(tail -n 1 "$work/lbfgs.csv" | cut -d, -f2)
awk -v a="$first" -v b="$last" 'BEGIN { exit !(b < 0.1 * a) }' || fail "L-BFGS: the loss did not fall tenfold ($first -> $last)"

"$nst" transfer "${common[@]}" --output "$work/colors.jpg" --size 40 --iterations 3 --preserve-colors --color-match \
  2>"$work/colors.err" || fail "colour run exited $?"
[ -s "$work/colors.jpg" ] || fail "no colour-preserved output"

"$nst" transfer --content "$fx/content.png" --style "$fx/style.png,$fx/content.jpg" --style-blend-weights 0.7,0.3 \
  --weights "$fx/vgg19-div8.mat" --device "${NST_DEVICE:-cpu}" --output "$work/blend.png" --size 40 --iterations 3 --style-scale 1.5 \
  --init style 2>"$work/blend.err" || fail "blend run exited $?"
[ -s "$work/blend.png" ] || fail "no blended output"
echo "PASS: multi-scale, L-BFGS, colours, blended styles, style scale, init style"
