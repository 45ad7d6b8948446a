#!/usr/bin/env bash
# tiling.sh NST FIXTURES WORKDIR: tiled transfers as a user meets them (docs/usage.md, "Images of any size").
# A run in 64 px tiles logs the same losses as the untiled run row by row (within 1e-5 relative: float sums
# in another order) and writes the same picture; a memory budget too small for the whole image makes nst
# choose tiles and say so in one line; impossible budgets, budgets beyond the machine's memory and bad values
# are one-line errors.
set -uo pipefail
nst=$1 fx=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
common=(--content "$fx/content.png" --style "$fx/style.png" --weights "$fx/vgg19-div8.mat" --device cpu
        --size 200x152 --iterations 4 --tv-weight 0.001 --print-every 0)
fail() { echo "FAIL: $*"; cat "$work"/*.err 2>/dev/null; exit 1; }

"$nst" transfer "${common[@]}" --output "$work/whole.png" --log "$work/whole.csv" 2>"$work/whole.err" ||
  fail "the untiled run failed"
grep -q "nst: tiled" "$work/whole.err" && fail "a small image was tiled without being asked"
"$nst" transfer "${common[@]}" --tile 64 --output "$work/tiled.png" --log "$work/tiled.csv" 2>"$work/tiled.err" ||
  fail "the tiled run failed"
grep -Eq "^nst: tiled: 64x64 px tiles \(\+80 px halo on each side\), 12 tiles \(4x3; all kept between the passes\), the network reads [0-9.]+x" \
  "$work/tiled.err" || fail "no line describing the tiles"
[ "$(wc -l <"$work/tiled.csv")" -eq 6 ] || fail "the tiled log has $(wc -l <"$work/tiled.csv") lines, not 6"
paste -d, "$work/whole.csv" "$work/tiled.csv" | awk -F, 'NR > 1 {
    for (i = 2; i <= 5; ++i) { a = $i; b = $(i + 5); d = a - b; if (d < 0) d = -d; m = a < 0 ? -a : a;
      if (d > 1e-5 * m + 1e-30) { print "row " $1 " column " i ": untiled " a ", tiled " b; bad = 1 } } }
  END { exit bad }' || fail "the tiled losses differ from the untiled ones"
cmp -s "$work/whole.png" "$work/tiled.png" || echo "note: the pictures differ in some pixel (float order)"

# A budget the whole image does not fit: tiles chosen, said in one line, the run completes.
"$nst" transfer "${common[@]}" --size 512 --iterations 1 --max-memory 60M --output "$work/auto.png" 2>"$work/auto.err" ||
  fail "the run under a 60M budget failed"
grep -Eq "^nst: tiled: [0-9]+x[0-9]+ px tiles .*; about [0-9]+ MiB of a 60 MiB budget$" "$work/auto.err" ||
  fail "no tiling line under a 60M budget"
[ -s "$work/auto.png" ] || fail "no output under a 60M budget"

# expect_error MESSAGE ARGS...: exit status 1 (or 2 for CLI11's own), one line, no output written.
expect_error() {
  local message=$1
  shift
  "$nst" transfer "${common[@]}" --output "$work/never.png" "$@" 2>"$work/error.err"
  local rc=$?
  [ $rc -ne 0 ] || fail "exit 0 for $*"
  [ "$(wc -l <"$work/error.err")" -eq 1 ] || fail "not one line for $*: $(cat "$work/error.err")"
  grep -Eq "$message" "$work/error.err" || fail "for $*: expected /$message/, got: $(cat "$work/error.err")"
  [ ! -e "$work/never.png" ] || fail "an output was written for $*"
}
expect_error "^nst: error: --max-memory 12X: expected a size such as 500M" --max-memory 12X
expect_error "^nst: error: --max-memory 0.5K: must be from 1M" --max-memory 0.5K
expect_error "^nst: error: --max-memory 1\.2\.3G: expected a size" --max-memory 1.2.3G
expect_error "^nst: error: --tile -16 .*0 to 32768" --tile -16
expect_error "^nst: error: a 2048x2048 transfer does not fit in 2 MiB even in 16 px tiles \(about [0-9.]+ [MG]iB: the image, its gradient" \
  --size 2048x2048 --max-memory 2M
expect_error "^nst: error: a 512x512 transfer in 512 px tiles needs about .*, more than the .* budget; use smaller tiles" \
  --size 512x512 --tile 512 --max-memory 30M
# A budget above what the machine has is planned for but never allocated beyond it (no memory bomb).
expect_error "^nst: error: a 32768x24576 transfer in [0-9]+ px tiles needs about [0-9.]+ GiB, more than the .* available on the cpu backend" \
  --size 32768 --max-memory 1T
echo "tiling.sh: all checks passed"
