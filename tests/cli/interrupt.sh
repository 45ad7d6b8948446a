#!/usr/bin/env bash
# interrupt.sh NST FIXTURES WORKDIR (NST_DEVICE: cpu, the default, or cuda): Ctrl-C (SIGINT) during a long
# run saves the current image to the output and exits with status 130; a learning rate that blows the loss
# up stops the run with a one-line message naming the iteration, writes no output and keeps the last good
# checkpoint.
set -uo pipefail
nst=$1 fx=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
common=(--content "$fx/content.png" --style "$fx/style.png" --weights "$fx/vgg19-div8.mat" --device "${NST_DEVICE:-cpu}" --size 40)
fail() { echo "FAIL: $*"; cat "$work"/*.err 2>/dev/null; exit 1; }

"$nst" transfer "${common[@]}" --output "$work/int.png" --iterations 1000000 --print-every 0 2>"$work/int.err" &
pid=$!
for _ in $(seq 1 100); do grep -q "iterations (Adam)" "$work/int.err" 2>/dev/null && break; sleep 0.1; done
sleep 1
kill -INT $pid
wait $pid
rc=$?
[ $rc -eq 130 ] || fail "expected exit status 130 after SIGINT, got $rc"
[ -s "$work/int.png" ] || fail "no image saved on SIGINT"
grep -q "interrupted: saved the current image" "$work/int.err" || fail "no message on SIGINT"

"$nst" transfer "${common[@]}" --output "$work/nan.png" --iterations 20 --lr 1e35 --save-every 1 --print-every 0 \
  2>"$work/nan.err"
rc=$?
[ $rc -ne 0 ] || fail "a diverging run exited 0"
[ "$(grep -c "nst: error" "$work/nan.err")" -eq 1 ] || fail "expected one error line"
grep -q "nst: error: the loss became \(NaN\|infinite\) at iteration" "$work/nan.err" || fail "no clear NaN/Inf message"
[ -e "$work/nan.png" ] && fail "a diverging run wrote its output"
echo "PASS: SIGINT saves and exits 130; a diverging loss stops with one line and no output"
