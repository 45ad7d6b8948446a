#!/usr/bin/env bash
# emulated_apps.sh EMULATED_NST NST IMAGE_STATS FIXTURES WORKDIR: nst transfer, batch and train with
# --device cuda on the emulated CUDA device (EMULATED_NST: the test build of nst, tests/emulated.cmake) against
# the same runs with --device cpu (NST), and the CUDA paths' refusals: a diverging loss stops the run, a
# transfer the device's memory cannot hold is refused before it starts. (Ctrl-C on the emulated device:
# interrupt.sh, registered beside this.) Nothing here runs on a GPU.
#
# Tolerances, float32 on both sides with sums in other orders (as the [gpu] cases):
#   transfer and batch: every loss term of every iteration within 1e-4 relative; images within 0.1 8-bit levels
#   on average and 2 at most (tests/lib/transfer/test_transfer_gpu.cpp's for 10 Adam iterations);
#   train: the first step's loss (a forward pass: no optimiser step yet) within 1e-3 relative; batch
#   normalisation over the batch's 4 values per channel in conv5 (1x1 there) amplifies float32 rounding:
#   measured 1.1e-4 (9.12707 against 9.12807).
set -uo pipefail
emu=$1 nst=$2 stats=$3 fx=$4 work=$5
rm -rf "$work" && mkdir -p "$work/in" "$work/out-cpu" "$work/out-cuda"
fail() { echo "FAIL: $*"; for f in "$work"/*.err; do echo "--- $f"; cat "$f"; done; exit 1; }
common=(--style "$fx/style.png" --weights "$fx/vgg19-div8.mat" --size 40 --iterations 6 --seed 5 --print-every 0)

# same_losses A.csv B.csv: every number after the first column within 1e-4 relative, the same rows.
same_losses() {
  [ "$(wc -l <"$1")" -eq "$(wc -l <"$2")" ] || return 1
  paste -d, "$1" "$2" | awk -F, 'NR > 1 {
      n = NF / 2
      for (i = 2; i <= n; i++) {
        c = $i; g = $(i + n); d = c - g; if (d < 0) d = -d; s = c < 0 ? -c : c
        if (d > 1e-4 * s + 1e-30) { printf "row %d column %d: cpu %s cuda %s\n", NR - 1, i, c, g; bad = 1 }
      }
    } END { exit bad }'
}
# same_image A B: within 0.1 levels on average and 2 at most.
same_image() {
  local line
  line=$("$stats" diff "$1" "$2") || return 1
  echo "$line" | awk '{ exit !($2 <= 2 && $4 <= 0.1) }' || { echo "$1 vs $2: $line"; return 1; }
}

# transfer, and the one notice line that says the device is emulated.
"$nst" transfer "${common[@]}" --content "$fx/content.png" --device cpu --output "$work/cpu.png" --log "$work/cpu.csv" \
  2>"$work/cpu.err" || fail "the CPU transfer exited $?"
"$emu" transfer "${common[@]}" --content "$fx/content.png" --device cuda --output "$work/cuda.png" --log "$work/cuda.csv" \
  2>"$work/cuda.err" || fail "the emulated CUDA transfer exited $?"
[ "$(grep -c "the CUDA device is emulated" "$work/cuda.err")" -eq 1 ] || fail "not one notice line that the device is emulated"
grep -q "the CUDA device is emulated" "$work/cpu.err" && fail "the real nst says its device is emulated"
same_losses "$work/cpu.csv" "$work/cuda.csv" || fail "transfer: the losses differ between cpu and cuda"
same_image "$work/cpu.png" "$work/cuda.png" || fail "transfer: the images differ between cpu and cuda"

# batch: two pictures, each as on the CPU.
cp "$fx/content.png" "$work/in/a.png"
cp "$fx/style.png" "$work/in/b.png"
"$nst" batch "${common[@]}" --inputs "$work/in" --output-dir "$work/out-cpu" --device cpu 2>"$work/batch-cpu.err" ||
  fail "the CPU batch exited $?"
"$emu" batch "${common[@]}" --inputs "$work/in" --output-dir "$work/out-cuda" --device cuda 2>"$work/batch-cuda.err" ||
  fail "the emulated CUDA batch exited $?"
for f in a.png b.png; do
  [ -s "$work/out-cuda/$f" ] || fail "batch: no $f from cuda"
  same_image "$work/out-cpu/$f" "$work/out-cuda/$f" || fail "batch: $f differs between cpu and cuda"
done

# train: one step of ResNet-50 on 4 synthetic images; the step's loss (before the update) as on the CPU.
for d in cpu cuda; do
  bin=$nst; [ $d = cuda ] && bin=$emu
  "$bin" train --data synthetic:4 --batch 4 --steps 1 --seed 3 --device $d --log "$work/train-$d.csv" \
    >"$work/train-$d.out" 2>"$work/train-$d.err" || fail "train on $d exited $?"
done
paste -d, "$work/train-cpu.csv" "$work/train-cuda.csv" | awk -F, 'NR == 2 {
    d = $3 - $7; if (d < 0) d = -d
    if (d > 1e-3 * $3) { printf "step 1 loss: cpu %s cuda %s\n", $3, $7; exit 1 } }' || fail "train: the first step's loss differs"

# A diverging loss stops the transfer on the emulated device: one error line naming it, no output.
"$emu" transfer "${common[@]}" --content "$fx/content.png" --device cuda --output "$work/nan.png" --lr 1e35 \
  2>"$work/nan.err"
rc=$?
[ $rc -eq 1 ] || fail "a diverging transfer exited $rc, not 1"
grep -q "nst: error: the loss became \(NaN\|infinite\) at iteration" "$work/nan.err" || fail "no NaN/Inf message"
[ -e "$work/nan.png" ] && fail "a diverging run wrote its output"

# The device's memory: a transfer it cannot hold in one piece, with tiling ruled out, is refused before it starts.
NST_EMULATED_MEMORY=48M "$emu" transfer "${common[@]}" --content "$fx/content.png" --device cuda --size 512 --tile 512 \
  --output "$work/big.png" 2>"$work/big.err"
rc=$?
[ $rc -eq 1 ] || fail "a transfer the emulated 48 MiB cannot hold exited $rc, not 1"
grep -q "nst: error: a 512x384 transfer in 512 px tiles needs about .* MiB, more than the .* budget" "$work/big.err" ||
  fail "no refusal naming the memory"
[ -e "$work/big.png" ] && fail "a refused run wrote its output"
echo "PASS: transfer, batch and train on the emulated device equal the CPU's; NaN stop and memory refusal"
