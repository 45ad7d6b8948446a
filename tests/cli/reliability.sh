#!/usr/bin/env bash
# reliability.sh NST FIXTURES WORKDIR: what nst promises about its files (docs/reliability.md), as a user
# meets it. SIGTERM and SIGHUP stop a run like Ctrl-C (output and log saved, exit 128+n, no temporary
# left); a write that fails for lack of space (a file-size limit here) keeps the previous output and says
# so; a symlinked output is written through; no output is written over an input or over the other output.
set -uo pipefail
nst=$1 fx=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
common=(--content "$fx/content.png" --style "$fx/style.png" --weights "$fx/vgg19-div8.mat" --device cpu --size 40)
fail() { echo "FAIL: $*"; cat "$work"/*.err 2>/dev/null; exit 1; }
no_partials() { ! ls -a "$work" | grep -q partial || fail "temporary files left: $(ls -a "$work" | grep partial)"; }

# stop_with SIGNAL STATUS MESSAGE: a long run stopped by SIGNAL saves its image and log and exits STATUS.
stop_with() {
  local sig=$1 want=$2 message=$3 out="$work/$1.png" log="$work/$1.csv"
  "$nst" transfer "${common[@]}" --output "$out" --log "$log" --iterations 1000000 --print-every 0 2>"$work/$sig.err" &
  local pid=$!
  for _ in $(seq 1 100); do grep -q "iterations (Adam)" "$work/$sig.err" 2>/dev/null && break; sleep 0.1; done
  sleep 1
  kill -"$sig" $pid
  wait $pid
  local rc=$?
  [ $rc -eq "$want" ] || fail "expected exit status $want after SIG$sig, got $rc"
  [ -s "$out" ] || fail "no image saved on SIG$sig"
  [ "$(head -1 "$log")" = "iteration,total,content,style,tv" ] && [ "$(wc -l < "$log")" -ge 2 ] || fail "no log saved on SIG$sig"
  grep -q "nst: $message: saved the current image" "$work/$sig.err" || fail "no message on SIG$sig"
  no_partials
}
stop_with TERM 143 "terminated (SIGTERM)"
stop_with HUP 129 "hung up (SIGHUP)"

# A full disk (here: a 64 KiB file-size limit, so writes fail with EFBIG): the previous output survives.
"$nst" transfer "${common[@]}" --output "$work/keep.png" --iterations 1 2>"$work/keep.err" || fail "first run failed"
cp "$work/keep.png" "$work/keep.orig"
(ulimit -f 64; "$nst" transfer "${common[@]}" --output "$work/keep.png" --size 600 --iterations 1 --init noise \
   --noise-ratio 1 2>"$work/full.err")
rc=$?
[ $rc -ne 0 ] || fail "a failed write exited 0"
grep -q "^nst: error: cannot write '.*/keep.png': File too large$" "$work/full.err" || fail "no one-line write error"
grep -q "wrote" "$work/full.err" && fail "claimed to have written the output"
cmp -s "$work/keep.png" "$work/keep.orig" || fail "the previous output was replaced"
no_partials

# A symlinked output is written through to its target; the link stays a link.
mkdir -p "$work/real" && ln -s real/linked.png "$work/link.png"
"$nst" transfer "${common[@]}" --output "$work/link.png" --iterations 1 2>"$work/link.err" || fail "symlinked output failed"
[ -L "$work/link.png" ] && [ -s "$work/real/linked.png" ] || fail "the symlink was replaced, not written through"

# Outputs that would destroy inputs, and special files, are refused before any work.
cp "$fx/content.png" "$work/c.png"
expect_error() {  # expect_error REGEX ARGS...: one error line matching REGEX, exit 1
  local regex=$1; shift
  "$nst" transfer "$@" 2>"$work/e.err"; local rc=$?
  [ $rc -eq 1 ] || fail "expected exit 1 for $*, got $rc"
  [ "$(wc -l < "$work/e.err")" -eq 1 ] && grep -q "$regex" "$work/e.err" || fail "expected '$regex', got: $(cat "$work/e.err")"
}
common_c=(--content "$work/c.png" --style "$fx/style.png" --weights "$fx/vgg19-div8.mat" --device cpu --size 40)
expect_error "^nst: error: --output '.*/c.png' is the same file as --content '.*/c.png': refusing to overwrite it$" \
  "${common_c[@]}" --output "$work/c.png"
ln "$work/c.png" "$work/hard.png"
expect_error "is the same file as --content" "${common_c[@]}" --output "$work/hard.png"
expect_error "^nst: error: --log '.*/o.png' is the same file as --output" "${common_c[@]}" --output "$work/o.png" --log "$work/o.png"
cp "$fx/vgg19-div8.mat" "$work/wts.png"  # weights under an image's name: a typo away from being overwritten
expect_error "^nst: error: --output '.*/wts.png' is the same file as --weights" "${common_c[@]}" --output "$work/wts.png" \
  --weights "$work/wts.png"
expect_error "^nst: error: cannot write '/dev/null': it is a device, not a regular file$" "${common_c[@]}" \
  --output "$work/o2.png" --log /dev/null
mkfifo "$work/fifo.png"
expect_error "^nst: error: image '.*/fifo.png': is a FIFO, not a regular file$" "${common[@]}" --style "$work/fifo.png" \
  --output "$work/o3.png"
# An empty value is not read as 0 (CMake cannot pass an empty argument, so this lives here).
"$nst" transfer "${common_c[@]}" --output "$work/o4.png" --iterations "" 2>"$work/e.err"
[ $? -ne 0 ] && grep -q "^nst: error: --iterations: an empty value is not allowed" "$work/e.err" || fail "--iterations \"\" accepted"
cmp -s "$work/c.png" "$fx/content.png" || fail "an input was modified"
[ -e "$work/o.png" ] || [ -e "$work/o2.png" ] || [ -e "$work/o3.png" ] || [ -e "$work/o4.png" ] && fail "a refused run wrote an output"
echo "PASS: SIGTERM/SIGHUP save and exit 143/129; a failed write keeps the old output; symlinks written through; inputs and devices never overwritten"
