# scripts/gpu-check-slices.sh, sourced by gpu-check.sh: how the check's budget is shared between its stages.
# Each stage has a cap (the most it may use) and a floor (the least worth running it with). A stage may run
# for its cap, but never into the floors of the stages after it; a stage left less than its own floor is
# not run and is reported "no time" (never a failure, never a 1-second run that times out). Whatever a
# stage leaves unused flows to the stages after it. The floors after the GPU tests add up to 215 s, so that
# with the default budget of 420 s every stage runs once the GPU tests have had their 170.
# Needs: $budget (seconds) and a function `elapsed` (seconds since the check started).
gpu_check_stages=(
  # name            cap floor
  "host-build       300 60"
  "gpu-tests        170 90"
  "cli-transfer_e2e  40 15"
  "cli-interrupt     40 15"
  "cli-train_e2e     40 15"
  "cli-batch         40 15"
  "bench-iterations  90 10"
  "bench-ops         60 10"
  "bench-cpu         30 10"
  "bench-tiled       60 10"
  "bench-batch       60 10"
  "pytorch          100 15"
  "pytorch-batch     60 15"
  "pytorch-resnet    60 15"
  "memcheck         150 30"
  "memcheck-train   150 30"
)

# slice NAME: the seconds stage NAME may run now, or 0 when it is left less than its floor. An unknown
# NAME is a mistake in gpu-check.sh: it says so and answers 0.
slice() {
  local entry name cap floor found=0 mine_cap=0 mine_floor=0 reserve=0
  for entry in "${gpu_check_stages[@]}"; do
    read -r name cap floor <<<"$entry"
    if [ "$found" -eq 1 ]; then
      reserve=$((reserve + floor))
    elif [ "$name" = "$1" ]; then
      found=1 mine_cap=$cap mine_floor=$floor
    fi
  done
  if [ "$found" -eq 0 ]; then
    echo "gpu-check: no stage called '$1'" >&2
    echo 0
    return
  fi
  [ "$1" = host-build ] && [ -n "${NST_GPU_CHECK_BUILD_CAP:-}" ] && mine_cap=$NST_GPU_CHECK_BUILD_CAP
  [ "$mine_floor" -gt "$mine_cap" ] && mine_floor=$mine_cap
  local t=$((budget - $(elapsed) - reserve))
  [ "$t" -gt "$mine_cap" ] && t=$mine_cap
  [ "$t" -lt "$mine_floor" ] && t=0
  echo "$t"
}
