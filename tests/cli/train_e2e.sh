#!/usr/bin/env bash
# train_e2e.sh NST WORKDIR (NST_DEVICE: cpu, the default, or cuda): nst train as a user runs it on the synthetic
# stand-in: Keras's output (epochs, step counts, metrics, val_ metrics), the --log CSV (one row per step), the
# weights saved after every epoch and reloaded exactly with --init-weights (--evaluate), --steps, the same seed
# repeating the same steps, a diverging loss stopping the run, and Ctrl-C saving the weights (exit 130).
set -uo pipefail
nst=$1 work=$2
rm -rf "$work" && mkdir -p "$work"
dev=(--device "${NST_DEVICE:-cpu}")
fail() { echo "FAIL: $*"; for f in "$work"/*.out "$work"/*.err; do echo "--- $f"; cat "$f"; done; exit 1; }

# 200 images in batches of 32: 7 steps per epoch (6 full, one of 8), two epochs.
"$nst" train --data synthetic:200 --batch 32 --epochs 2 --seed 4 "${dev[@]}" --log "$work/a.csv" \
  --save-weights "$work/w.mat" >"$work/a.out" 2>"$work/a.err" || fail "the run failed"
grep -q "^Epoch 2/2$" "$work/a.out" || fail "no 'Epoch 2/2' line"
grep -Eq "^7/7 \[=+\] - [0-9]+s [0-9]+ms/step - loss: [0-9.]+ - accuracy: [0-9.]+ - val_loss: [0-9.]+ - val_accuracy: [0-9.]+$" \
  "$work/a.out" || fail "no Keras-style epoch line"
grep -q "ResNet-50 (23,792,612 parameters)" "$work/a.err" || fail "no model line"
grep -q "synthetic train (200 images, seed 4)" "$work/a.err" || fail "the data is not named as synthetic"
[ "$(head -1 "$work/a.csv")" = "step,epoch,loss,accuracy" ] || fail "bad log header"
[ "$(wc -l <"$work/a.csv")" -eq 15 ] || fail "expected 14 log rows"
[ -s "$work/w.mat" ] || fail "no weights saved"

# The same seed gives the same steps, bit for bit.
"$nst" train --data synthetic:200 --batch 32 --epochs 2 --seed 4 "${dev[@]}" --log "$work/b.csv" >"$work/b.out" \
  2>"$work/b.err" || fail "the second run failed"
cmp -s "$work/a.csv" "$work/b.csv" || fail "the same seed gave different steps"

# --init-weights loads exactly the saved weights: saved again without a step they are the same bytes (past
# the MAT header's time of writing), and evaluated they give the first run's last evaluation.
"$nst" train --data synthetic:200 --batch 32 --seed 4 "${dev[@]}" --init-weights "$work/w.mat" --evaluate \
  --save-weights "$work/w2.mat" >"$work/e.out" 2>"$work/e.err" || fail "--evaluate failed"
cmp -s <(tail -c +129 "$work/w.mat") <(tail -c +129 "$work/w2.mat") || fail "weights loaded and saved again differ"
last=$(grep -o "val_loss: [0-9.]* - val_accuracy: [0-9.]*" "$work/a.out" | tail -1 | sed 's/val_//g')
grep -q "^40 test images - $last$" "$work/e.out" || fail "the evaluation from the saved weights is not the run's last ($last)"
# Training from them: --steps 2 stops after two steps, whose first loss is not a fresh start's.
"$nst" train --data synthetic:200 --batch 32 --seed 4 "${dev[@]}" --init-weights "$work/w.mat" --steps 2 \
  --log "$work/c.csv" >"$work/c.out" 2>"$work/c.err" || fail "the run from saved weights failed"
[ "$(wc -l <"$work/c.csv")" -eq 3 ] || fail "--steps 2 did not stop after two steps"
[ "$(sed -n 2p "$work/a.csv" | cut -d, -f3)" != "$(sed -n 2p "$work/c.csv" | cut -d, -f3)" ] ||
  fail "the first step from the saved weights has a fresh start's loss"

# A learning rate that blows the loss up stops the run with one error line naming the step; no weights.
"$nst" train --data synthetic:64 --batch 16 --optimizer sgd --lr 1e30 "${dev[@]}" --save-weights "$work/nan.mat" \
  >"$work/nan.out" 2>"$work/nan.err"
rc=$?
[ $rc -eq 1 ] || fail "a diverging run exited $rc"
[ "$(grep -c "nst: error" "$work/nan.err")" -eq 1 ] || fail "expected one error line"
grep -Eq "^nst: error: the loss became (NaN|infinite) at step [0-9]+ \(epoch 1\): training diverged" "$work/nan.err" ||
  fail "no clear NaN/Inf message"
[ -e "$work/nan.mat" ] && fail "a diverging run saved weights"

# Ctrl-C: stops after the current step, saves the weights, exits 130.
"$nst" train --data synthetic:640 --epochs 1000 "${dev[@]}" --save-weights "$work/int.mat" >"$work/int.out" \
  2>"$work/int.err" &
pid=$!
for _ in $(seq 1 300); do grep -q "^Epoch 1/1000" "$work/int.out" 2>/dev/null && break; sleep 0.1; done
sleep 1
kill -INT $pid
wait $pid
rc=$?
[ $rc -eq 130 ] || fail "expected exit status 130 after SIGINT, got $rc"
[ -s "$work/int.mat" ] || fail "no weights saved on SIGINT"
grep -q "interrupted after step [0-9]*: the weights are saved" "$work/int.err" || fail "no message on SIGINT"
echo "PASS: Keras's output, the log, weights saved and reloaded, --steps, reproducible, Ctrl-C saves"
