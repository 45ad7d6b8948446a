#!/usr/bin/env bash
# gpu_check_slices.sh ROOT: scripts/gpu-check-slices.sh shares the budget as it says: caps, the later
# stages' floors kept back, "no time" (0) below a stage's own floor, unused time flowing on, and with the
# default budget every stage gets at least its floor when the ones before it take their caps.
set -uo pipefail
root=$1
fail() { echo "FAIL: $*"; exit 1; }
now=0
elapsed() { echo "$now"; }
# shellcheck source=../../scripts/gpu-check-slices.sh
. "$root/scripts/gpu-check-slices.sh"

budget=420 now=15
[ "$(slice gpu-tests)" -eq 170 ] || fail "gpu-tests at 15 s of 420: $(slice gpu-tests), not its cap 170"
# After them, 235 s are left and the later floors need 200: the first CLI script gets its 15 and the 20 spare.
now=185
[ "$(slice cli-transfer_e2e)" -eq 35 ] || fail "cli-transfer_e2e at 185 s: $(slice cli-transfer_e2e), not 35"
# Every stage, each taking its whole slice from 15 s on: each gets at least its floor; none is skipped.
now=15
for entry in "${gpu_check_stages[@]}"; do
  read -r name cap floor <<<"$entry"
  [ "$name" = host-build ] && continue
  t=$(slice "$name")
  [ "$t" -ge "$floor" ] || fail "$name gets $t s at $now s, under its floor $floor"
  [ "$t" -le "$cap" ] || fail "$name gets $t s, over its cap $cap"
  now=$((now + t))
done
[ "$now" -le 420 ] || fail "the stages ran to $now s, past the budget"
# The last stage gets what is left, up to its cap; below its floor it is "no time".
now=400
[ "$(slice memcheck-train)" -eq 0 ] || fail "memcheck-train with 20 s left (floor 30): $(slice memcheck-train), not 0 (no time)"
now=380
[ "$(slice memcheck-train)" -eq 40 ] || fail "memcheck-train with 40 s left: $(slice memcheck-train), not 40"
# A stage squeezed by the floors after it: the GPU tests at 200 s would have 5 s beyond the later 215: none.
now=200
[ "$(slice gpu-tests)" -eq 0 ] || fail "gpu-tests at 200 s (5 s beyond the later floors): $(slice gpu-tests), not 0"
# The host build's cap can be set; an unknown stage answers 0 and says so.
NST_GPU_CHECK_BUILD_CAP=20 now=0
[ "$(slice host-build)" -eq 20 ] || fail "NST_GPU_CHECK_BUILD_CAP=20 gave $(slice host-build)"
unset NST_GPU_CHECK_BUILD_CAP
[ "$(slice no-such-stage 2>/dev/null)" -eq 0 ] || fail "an unknown stage did not answer 0"
slice no-such-stage 2>&1 >/dev/null | grep -q "no stage called 'no-such-stage'" || fail "an unknown stage is not named"
echo "ok: gpu-check's stage slices"
