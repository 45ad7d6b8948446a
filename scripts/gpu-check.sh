#!/usr/bin/env bash
# scripts/gpu-check.sh REPORT_DIR: the one prepared GPU validation, for one device call, from the repository
# root on the GPU host, with out/nst-bundle.tar.xz (scripts/bundle.sh) carried:
#   host facts (OS, driver, nvcc, cmake, cuDNN/cuBLAS found); every GPU test (the [gpu] cases of nst_tests:
#   each CUDA op against its CPU twin from tests/ops/, the end-to-end GPU-vs-CPU transfers and training
#   steps, the CUDA plumbing); the CLI scripts on CUDA (transfer, interrupt, train, batch); nst-bench (iterations
#   at 256/512/1024 px and ResNet-50's training step first, then every op at a 512 px pass's and ResNet-50's
#   shapes, then CPU iterations and the CPU training step; tiled print sizes; nst batch's images/s at B = 1, 4,
#   16 and 256/512 px); bench/compare_pytorch.py at 512 px, bench/compare_pytorch_batch.py at 256 px B = 16 and
#   bench/compare_pytorch_resnet.py at batch 64; compute-sanitizer memcheck on a short transfer and a short
#   training run.
# The whole check keeps to NST_GPU_CHECK_BUDGET seconds (default 420: give the device call timeout_s 480);
# each stage gets at most its own cap and leaves the later stages their floors (scripts/gpu-check-slices.sh),
# and a stage with no time left is reported "no time". REPORT_DIR receives at most 6 files (the device tool
# returns 8): summary.txt, gpu-check-logs.tar.gz (every log, refreshed after each stage), and copies of
# host.txt, gpu-tests.log, bench-cuda.txt and compare-pytorch.txt. The summary table is printed last, also
# when a stage fails.
# If the bundle cannot start there, it says why and builds on the host with cmake and ninja, using the
# headers and CMake/pkg-config files the bundle carries (sysroot/) and the host's compiler, CUDA and cuDNN.
set -uo pipefail
report=${1:-gpu-report}
budget=${NST_GPU_CHECK_BUDGET:-420}
mkdir -p "$report"
report=$(cd "$report" && pwd)
logs=/tmp/nst-gpu-check
rm -rf "$logs" && mkdir -p "$logs"
start=$(date +%s)
elapsed() { echo $(($(date +%s) - start)); }
# slice STAGE: the seconds a stage may run, 0 for "no time" (scripts/gpu-check-slices.sh: each stage's cap
# and floor, the later stages' floors kept back).
. "$(dirname "$0")/gpu-check-slices.sh"
summary=()
note() { summary+=("$(printf '%-20s %-8s %s' "$1" "$2" "$3")"); }
timed_out() { [ "$1" -eq 124 ] || [ "$1" -eq 137 ]; }
# limited SECONDS CMD...: CMD under `timeout SECONDS`; with 0 seconds (slice's "no time") it does not run
# and returns 250.
limited() {
  local t=$1
  shift
  [ "$t" -eq 0 ] && return 250
  timeout "$t" "$@"
}
# verdict RC: a stage's status word: ok, "no time", timeout or rc=N.
verdict() {
  case $1 in 0) echo ok ;; 250) echo "no time" ;; 124 | 137) echo timeout ;; *) echo "rc=$1" ;; esac
}
pack() {
  printf '%s\n' "${summary[@]}" >"$logs/summary.txt"
  tar -czf "$report/gpu-check-logs.tar.gz" -C /tmp nst-gpu-check 2>/dev/null
  local f
  for f in summary.txt host.txt gpu-tests.log bench-cuda.txt compare-pytorch.txt; do
    [ -f "$logs/$f" ] && cp "$logs/$f" "$report/$f"
  done
}
finish() {
  pack
  echo
  echo "== summary ($(elapsed) s of $budget; logs: $report/gpu-check-logs.tar.gz)"
  printf '%s\n' "${summary[@]}"
}
trap finish EXIT

echo "== gpu-check $(date -u +%Y-%m-%dT%H:%M:%SZ), budget $budget s"
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "os: $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME"), kernel $(uname -r), glibc $(ldd --version 2>/dev/null | head -n 1 | awk '{print $NF}')"
  echo "gpu: $(nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm,compute_cap --format=csv,noheader 2>&1 | head -n 1)"
  echo "nvcc: $( (command -v nvcc || ls /usr/local/cuda/bin/nvcc) 2>/dev/null | head -n 1) $( (nvcc --version || /usr/local/cuda/bin/nvcc --version) 2>/dev/null | grep -m1 -o 'release [0-9.]*')"
  echo "cmake: $(cmake --version 2>/dev/null | head -n 1); ninja $(ninja --version 2>/dev/null); $(g++ --version 2>/dev/null | head -n 1)"
  echo "python3: $(python3 -c 'import sys, torch; print(sys.version.split()[0], "torch", torch.__version__, "cudnn", torch.backends.cudnn.version())' 2>&1 | tail -n 1)"
  for lib in libcudnn.so.9 libcublas.so.13; do
    echo "$lib: $(timeout 30 find / \( -path /proc -o -path /sys -o -path /dev \) -prune -o -name "$lib*" -print 2>/dev/null | head -n 4 | tr '\n' ' ')"
  done
  echo "compute-sanitizer: $(command -v compute-sanitizer || echo none)"
} >"$logs/host.txt" 2>&1
cat "$logs/host.txt"
gpu=$(sed -n 's/^gpu: //p' "$logs/host.txt")
gpu_seen=0
nvidia-smi -L 2>/dev/null | grep -q '^GPU ' && gpu_seen=1
note "gpu" "-" "${gpu:-nvidia-smi failed}"

# ---- the programs: the bundle, or a build on the host ----
unpacked=/tmp/nst-bundle-unpacked
run=""
B=""
if [ -f out/nst-bundle.tar.xz ]; then
  rm -rf "$unpacked" && mkdir -p "$unpacked" && tar -xJf out/nst-bundle.tar.xz -C "$unpacked"
  B="$unpacked/nst-bundle"
  if [ -n "${NST_GPU_CHECK_FORCE_BUILD:-}" ]; then
    note "bundle" "unused" "NST_GPU_CHECK_FORCE_BUILD is set"
  elif "$B/nst-run" "$B/bin/nst" --version >"$logs/version.txt" 2>&1; then
    unusable=$(grep -m1 -E '^GPU( not usable|: no CUDA device)' "$logs/version.txt")
    if [ $gpu_seen -eq 1 ] && [ -n "$unusable" ]; then
      # It starts, but cannot use the GPU that nvidia-smi sees (a driver or cuDNN it cannot work with).
      echo "gpu-check: the bundle starts but cannot use this GPU:"
      cat "$logs/version.txt"
      note "bundle" "unusable" "$(cut -c1-160 <<<"$unusable")"
    else
      run="$B/nst-run"
      note "bundle" "ok" "commit $(head -n 1 "$B/COMMIT")"
    fi
  else
    echo "gpu-check: the bundle does not start here:"
    cat "$logs/version.txt"
    note "bundle" "FAILED" "$(tail -n 1 "$logs/version.txt")"
  fi
else
  note "bundle" "absent" "out/nst-bundle.tar.xz was not carried"
fi
if [ -z "$run" ]; then
  # The host build: the host's g++, nvcc, CMake, ninja, CUDA and cuDNN (FindCUDNN searches pip's nvidia/
  # trees too); matio/OpenBLAS/HDF5/benchmark runtime libraries from the bundle's lib/, their headers and
  # CMake/pkg-config files from its sysroot/ (symlinks there point into lib/).
  echo "gpu-check: building on the host with cmake and ninja ($(elapsed) s so far)"
  t=$(slice host-build)
  S="$B/sysroot"
  if [ "$t" -eq 0 ]; then
    note "host build" "no time" "$(elapsed) s of $budget gone before it"
    exit 1
  fi
  if [ -z "$B" ] || [ ! -d "$S" ]; then
    note "host build" "FAILED" "no bundle sysroot (headers of matio, CLI11, Catch2, benchmark, stb, OpenBLAS)"
    exit 1
  fi
  pc="$S/usr/lib/x86_64-linux-gnu/openblas-openmp/pkgconfig:$S/usr/lib/x86_64-linux-gnu/pkgconfig:$S/usr/share/pkgconfig"
  export PKG_CONFIG_SYSROOT_DIR="$S" PKG_CONFIG_PATH="$pc" PKG_CONFIG_LIBDIR="$pc"
  export PKG_CONFIG_ALLOW_SYSTEM_CFLAGS=1 PKG_CONFIG_ALLOW_SYSTEM_LIBS=1
  export PATH="$PATH:/usr/local/cuda/bin"
  link="-Wl,-rpath-link,$B/lib -L$B/lib"
  if timeout "$t" bash -c '
      set -e
      cmake -S . -B build-host -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CUDA_ARCHITECTURES=90 -DNST_BUILD_KERNEL_TESTS=OFF \
        -DCMAKE_POLICY_VERSION_MINIMUM=3.5 -DCMAKE_PREFIX_PATH="$1/usr" -DPKG_CONFIG_EXECUTABLE="$1/pkg-config" \
        -DCMAKE_EXE_LINKER_FLAGS="$2" -DCMAKE_SHARED_LINKER_FLAGS="$2"
      cmake --build build-host -j "$(nproc)"' _ "$S" "$link" >"$logs/host-build.log" 2>&1; then
    H="$unpacked/host" && rm -rf "$H" && mkdir -p "$H"/{bin,fixtures}
    cp build-host/apps/nst build-host/apps/nst-bench build-host/tests/nst_tests \
      build-host/tests/nst_make_test_images "$H/bin/"
    # The bundle's libraries less its libnst (LD_LIBRARY_PATH would win over the host build's own RUNPATH).
    mkdir -p "$H/lib" && for f in "$B"/lib/*; do case "$f" in */libnst.so*) ;; *) ln -s "$f" "$H/lib/" ;; esac; done
    cp "$B/nst-run" "$H/nst-run"
    B=$H
    run="$B/nst-run"
    "$run" "$B/bin/nst" weights write-random "$B/fixtures/vgg19-div8.mat" --seed 1 --channel-divisor 8 >/dev/null
    "$run" "$B/bin/nst_make_test_images" "$B/fixtures"
    "$run" "$B/bin/nst" --version >"$logs/version.txt" 2>&1
    note "host build" "ok" "build-host/ in $(elapsed) s"
  else
    rc=$?
    tail -n 30 "$logs/host-build.log"
    timed_out $rc && why="timed out after $t s" ||
      why="$(grep -m1 -iE 'error|could not|not found' "$logs/host-build.log" | cut -c1-120)"
    note "host build" "FAILED" "$why (host-build.log)"
    exit 1
  fi
fi
cat "$logs/version.txt"
note "versions" "-" "$(grep -E '^(cuDNN|cuBLAS|CUDA runtime)' "$logs/version.txt" | tr '\n' ';' | sed 's/;$//')"
note "libraries" "-" "$(grep -m1 '^nst-run:' "$logs/version.txt" | sed 's/^nst-run: //')"
export NST_RUN_QUIET=1
pack

# ---- every GPU test (ops against the CPU, end-to-end agreement), one process each ----
# One process per test case, so that a crash or a hang in one still leaves the others' results; the
# 1024 px tests run last (the slowest, and the others say more per second). Each case writes a JUnit report
# (Catch2's junit reporter: its testcase/failure elements are what is counted) and, on stdout, one
# "RESULT|what|rel=...|worst=...|max=...|tolerance=..." line per comparison (tests/ops/op_checks.hpp). A case
# that skips on a host where nvidia-smi sees a GPU counts as failed: a broken setup is not a skip.
echo "== GPU tests, one process each ($(elapsed) s so far)"
: >"$logs/gpu-tests.log"
mkdir -p "$logs/junit"
"$run" "$B/bin/nst_tests" --list-test-names-only '[gpu]' 2>/dev/null | grep '^gpu:' >"$logs/gpu-test-names.txt"
{ grep -v '1024 px pass' "$logs/gpu-test-names.txt"; grep '1024 px pass' "$logs/gpu-test-names.txt"; } >"$logs/gpu-test-order.txt"
gpu_deadline=$(($(elapsed) + $(slice gpu-tests)))
passed=0 failed=0 crashed=0 hung=0 skipped=0 notrun=0 k=0
bad=()
# junit_failed FILE: 0 when the report has its test case and no failure or error in it.
junit_failed() { [ -s "$1" ] && grep -q '<testcase' "$1" && ! grep -qE '<(failure|error)[ >]' "$1" && return 1; return 0; }
while IFS= read -r name; do
  k=$((k + 1))
  left=$((gpu_deadline - $(elapsed)))
  if [ "$left" -lt 5 ]; then
    notrun=$((notrun + 1))
    echo "=== not run (no time left): $name" >>"$logs/gpu-tests.log"
    continue
  fi
  spec=$(sed 's/[],[~"\\]/\\&/g' <<<"$name")  # Catch2's test-spec characters escaped
  echo "=== $name" >>"$logs/gpu-tests.log"
  if [ "$("$run" "$B/bin/nst_tests" --list-test-names-only "$spec" 2>/dev/null | grep -c '^gpu:')" -ne 1 ]; then
    failed=$((failed + 1))
    bad+=("$name (its test spec does not select exactly it)")
    echo "spec-mismatch $name"
    continue
  fi
  xml="$logs/junit/case-$k.xml"
  timeout "$left" "$run" "$B/bin/nst_tests" --reporter junit --out "$xml" "$spec" >>"$logs/gpu-tests.log" 2>&1
  rc=$?
  echo "=== rc=$rc: $name" >>"$logs/gpu-tests.log"
  if [ $rc -eq 77 ] && [ $gpu_seen -eq 1 ]; then rc=78; fi  # skipped although nvidia-smi sees a GPU
  case $rc in
    0) if junit_failed "$xml"; then failed=$((failed + 1)); r="FAILED(junit)"; bad+=("$name ($r)"); else passed=$((passed + 1)); r=passed; fi ;;
    77) skipped=$((skipped + 1)); r=skipped ;;
    78) failed=$((failed + 1)); r="FAILED(skipped with a GPU present)"; bad+=("$name ($r)") ;;
    124 | 137) hung=$((hung + 1)); r="timeout"; bad+=("$name (timeout)") ;;
    *) if [ "$rc" -gt 128 ]; then crashed=$((crashed + 1)); r="crash($rc)"; else failed=$((failed + 1)); r=FAILED; fi
       bad+=("$name ($r)") ;;
  esac
  printf '%-9s %s\n' "$r" "$name"
done <"$logs/gpu-test-order.txt"
grep -E "FAILED|plan " "$logs/gpu-tests.log" | tail -n 30
total=$(wc -l <"$logs/gpu-test-order.txt")
counts="$passed passed, $failed failed, $crashed crashed, $hung timed out, $skipped skipped, $notrun not run, of $total"
status=ok
[ $((failed + crashed + hung + notrun)) -gt 0 ] && status=FAILED
[ "$skipped" -eq "$total" ] && status=skipped
[ "$notrun" -eq "$total" ] && status="no time"
[ "$total" -eq 0 ] && status="no tests" && counts="--list-test-names-only gave none"
note "gpu tests" "$status" "$counts"
[ ${#bad[@]} -gt 0 ] && note "gpu tests failing" "-" "$(printf '%s; ' "${bad[@]:0:4}")"
# The comparisons, from the RESULT lines: how many, how many over their tolerance, the closest to it.
# A rel that is not a finite number (nan, inf: awk would read either as 0) counts as over its tolerance.
awk -F'|' '/^RESULT\|/ {
    s = substr($3, 5); rel = s + 0; tol = 0; for (i = 4; i <= NF; ++i) if ($i ~ /^tolerance=/) tol = substr($i, 11) + 0
    finite = s ~ /^[0-9.]+([eE][-+]?[0-9]+)?$/
    n++; r = !finite ? 1e9 : tol > 0 ? rel / tol : (rel > 0 ? 1e9 : 0); if (r > 1) over++; if (r >= worst) { worst = r; what = $2 }
  } END { printf "%d comparisons, %d over tolerance; closest: %s at %.2f of its tolerance\n", n, over, what, worst }' \
  "$logs/gpu-tests.log" >"$logs/results-summary.txt"
note "gpu comparisons" "-" "$(cat "$logs/results-summary.txt")"
note "gpu vs cpu transfer" "-" "$(grep -E '^RESULT\|.* transfer\|' "$logs/gpu-tests.log" | cut -d'|' -f2-5 | tr '\n' ';' | cut -c1-300)"
pack

# ---- the CLI test scripts on the GPU: seeds reproduce across processes, NaN stops, Ctrl-C saves ----
echo "== CLI scripts on CUDA ($(elapsed) s so far)"
printf '#!/usr/bin/env bash\nexec "%s" "%s" "$@"\n' "$run" "$B/bin/nst" >/tmp/nst-on-bundle && chmod +x /tmp/nst-on-bundle
cli_ok=0 cli_bad=() cli_notime=()
printf '#!/usr/bin/env bash\nexec "%s" "%s" "$@"\n' "$run" "$B/bin/nst_image_stats" >/tmp/nst-stats-on-bundle && chmod +x /tmp/nst-stats-on-bundle
scripts=(transfer_e2e interrupt train_e2e batch)
[ $gpu_seen -eq 0 ] && scripts=()  # nothing to run them on
for script in "${scripts[@]}"; do
  t=$(slice "cli-$script")
  if [ "$t" -eq 0 ]; then cli_notime+=("$script"); continue; fi
  args=(/tmp/nst-on-bundle "$B/fixtures" "/tmp/nst-cli-$script")
  [ "$script" = train_e2e ] && args=(/tmp/nst-on-bundle "/tmp/nst-cli-$script")
  [ "$script" = batch ] && args=(/tmp/nst-on-bundle /tmp/nst-stats-on-bundle "$B/fixtures" "/tmp/nst-cli-$script")
  if NST_DEVICE=cuda timeout "$t" bash "$B/tests/cli/$script.sh" "${args[@]}" >"$logs/cli-$script.txt" 2>&1; then cli_ok=$((cli_ok + 1)); else cli_bad+=("$script: $(tail -n 1 "$logs/cli-$script.txt" | cut -c1-80)"); fi
done
if [ ${#scripts[@]} -eq 0 ]; then
  note "cli on cuda" "skipped" "nvidia-smi sees no GPU"
else
  cli_status=ok
  [ ${#cli_notime[@]} -gt 0 ] && cli_status="no time"
  [ ${#cli_bad[@]} -gt 0 ] && cli_status=FAILED
  note "cli on cuda" "$cli_status" "$cli_ok of ${#scripts[@]} scripts passed${cli_bad:+; ${cli_bad[*]}}${cli_notime:+; no time for ${cli_notime[*]}}"
fi
pack

# ---- nst-bench: the iterations first (the headline), then the ops, then the CPU ----
echo "== nst-bench ($(elapsed) s so far)"
t=$(slice bench-iterations)
limited "$t" "$run" "$B/bin/nst-bench" --benchmark_filter='^cuda/(iteration/|train_step)' --benchmark_min_time=0.2 \
  --benchmark_out="$logs/bench-cuda-iterations.json" --benchmark_out_format=json >"$logs/bench-cuda.txt" 2>&1
rc=$?
t=$(slice bench-ops)
ops=$(bash scripts/ops.sh BENCH | paste -sd'|')  # every op with a benchmark (cmake/NstOps.cmake)
limited "$t" "$run" "$B/bin/nst-bench" --benchmark_filter="^cuda/($ops)/" --benchmark_min_time=0.05 \
  --benchmark_out="$logs/bench-cuda-ops.json" --benchmark_out_format=json >>"$logs/bench-cuda.txt" 2>&1
rc2=$?
t=$(slice bench-cpu)
limited "$t" "$run" "$B/bin/nst-bench" --benchmark_filter='^cpu/(iteration/|train_step)' --benchmark_min_time=0.01 \
  --benchmark_out="$logs/bench-cpu.json" --benchmark_out_format=json >"$logs/bench-cpu.txt" 2>&1
grep -E "iteration|/conv/conv(1_2|4_2)_[0-9]+px/forward|/gram/|/adam/|/reduce/|/pool/pool1" "$logs/bench-cuda.txt" "$logs/bench-cpu.txt" | cut -d: -f2- | head -n 40
ms() { awk -v pat="$1" '$1 ~ pat { print $2 " " $3; exit }' "$2"; }
status=ok
[ $rc -ne 0 ] || [ $rc2 -ne 0 ] && status="$(verdict $rc),$(verdict $rc2)"
[ $rc -ne 250 ] && ! grep -q '^cuda/iteration' "$logs/bench-cuda.txt" && status="no cuda"
note "nst-bench" "$status" "512px iteration: fp32 $(ms 'cuda/iteration/fp32/512px' "$logs/bench-cuda.txt") (autotune $(ms 'cuda/iteration/fp32-autotune/512px' "$logs/bench-cuda.txt")), tf32 $(ms 'cuda/iteration/tf32/512px' "$logs/bench-cuda.txt") (autotune $(ms 'cuda/iteration/tf32-autotune/512px' "$logs/bench-cuda.txt")); 1024px fp32 $(ms 'cuda/iteration/fp32/1024px' "$logs/bench-cuda.txt")"
note "nst-bench cpu" "-" "128px iteration $(ms 'cpu/iteration/fp32/128px' "$logs/bench-cpu.txt")"
ips() { awk -v pat="$1" '$1 ~ pat { for (i = 1; i <= NF; ++i) if ($i ~ /^images_per_s=/) { print substr($i, 14); exit } }' "$2"; }
# Print sizes, tiled: one timed iteration each after a warm-up; 8192 first (the one asked
# for), then 4096 whole and tiled, then 16384.
t=$(slice bench-tiled)
limited "$t" "$run" "$B/bin/nst-bench" --benchmark_filter='^cuda/iteration_tiled/fp32/(8192px|4096px|16384px)/' \
  --benchmark_min_time=0.01 --benchmark_out="$logs/bench-cuda-tiled.json" --benchmark_out_format=json \
  >"$logs/bench-cuda-tiled.txt" 2>&1
rc3=$?
cat "$logs/bench-cuda-tiled.txt" >>"$logs/bench-cuda.txt"
grep -E "iteration_tiled" "$logs/bench-cuda-tiled.txt" | head -n 8
peak() { awk -v pat="$1" '$1 ~ pat { for (i = 1; i <= NF; ++i) if ($i ~ /^peak_MiB=/) { print substr($i, 10); exit } }' "$2"; }
tiled_line=""
for case in 4096px/auto 4096px/tile2048 8192px/auto 16384px/auto; do
  tiled_line+="$case $(ms "cuda/iteration_tiled/fp32/$case" "$logs/bench-cuda-tiled.txt") peak $(peak "cuda/iteration_tiled/fp32/$case" "$logs/bench-cuda-tiled.txt") MiB; "
done
status=$(verdict $rc3)
[ "$status" = ok ] && ! grep -q '^cuda/iteration_tiled' "$logs/bench-cuda-tiled.txt" && status="no results"
note "tiled iterations" "$status" "$tiled_line"
# nst batch's throughput: B = 1, 4, 16 images optimised together at 256 and 512 px.
t=$(slice bench-batch)
limited "$t" "$run" "$B/bin/nst-bench" --benchmark_filter='^cuda/batch/fp32/(256|512)px/B(1|4|16)/' \
  --benchmark_min_time=0.05 --benchmark_out="$logs/bench-cuda-batch.json" --benchmark_out_format=json \
  >"$logs/bench-cuda-batch.txt" 2>&1
rc4=$?
cat "$logs/bench-cuda-batch.txt" >>"$logs/bench-cuda.txt"
grep -E "cuda/batch" "$logs/bench-cuda-batch.txt" | head -n 6
batch_line=""
for case in 256px/B1 256px/B4 256px/B16 512px/B1 512px/B4 512px/B16; do
  batch_line+="$case $(ips "cuda/batch/fp32/$case" "$logs/bench-cuda-batch.txt"); "
done
status=$(verdict $rc4)
[ "$status" = ok ] && ! grep -q '^cuda/batch' "$logs/bench-cuda-batch.txt" && status="no results"
note "batch images/s" "$status" "at 500 iterations: $batch_line"
note "train step b64" "-" "cuda fp32 $(ips 'cuda/train_step/fp32/b64/compute' "$logs/bench-cuda.txt") img/s (with io $(ips 'cuda/train_step/fp32/b64/with_io' "$logs/bench-cuda.txt")), tf32 $(ips 'cuda/train_step/tf32/b64/compute' "$logs/bench-cuda.txt"); cpu $(ips 'cpu/train_step/fp32/b64/compute' "$logs/bench-cpu.txt")"
pack

# ---- PyTorch side by side at 512 px ----
echo "== compare_pytorch.py ($(elapsed) s so far)"
if python3 -c "import torch, scipy, PIL" 2>/dev/null; then
  t=$(slice pytorch)
  "$run" "$B/bin/nst" weights write-random /tmp/nst-random0.mat --seed 0 --container v5-uncompressed >/dev/null
  # python3 runs with the host's libraries (PyTorch's own); only nst goes through the bundle's wrapper.
  PYTHONUNBUFFERED=1 limited "$t" python3 bench/compare_pytorch.py --nst "$run $B/bin/nst" --weights /tmp/nst-random0.mat \
    --size 512 --work /tmp/nst-compare >"$logs/compare-pytorch.txt" 2>&1
  rc=$?
  tail -n 15 "$logs/compare-pytorch.txt"
  ratio=$(grep -E "^ratio" "$logs/compare-pytorch.txt" | tail -n 1)
  status=ok
  [ -z "$ratio" ] && status="$(verdict $rc)"
  [ -n "$ratio" ] && timed_out $rc && status=partial  # torch.compile rows cut by the time limit
  note "pytorch compare" "$status" "${ratio:-see compare-pytorch.txt}"
  note "pytorch loss diff" "-" "$(sed -n 's/^\(fp32\|tf32\): loss after 10 iterations .*relative difference/\1/p' "$logs/compare-pytorch.txt" | tr '\n' ' ')"
  # nst batch against PyTorch one image at a time and batched: 256 px, B = 16.
  t=$(slice pytorch-batch)
  PYTHONUNBUFFERED=1 limited "$t" python3 bench/compare_pytorch_batch.py --bench "$run $B/bin/nst-bench" \
    --weights /tmp/nst-random0.mat --size 256 --batch 16 --work /tmp/nst-compare-batch >"$logs/compare-pytorch-batch.txt" 2>&1
  rc=$?
  tail -n 5 "$logs/compare-pytorch-batch.txt"
  note "pytorch batch" "$(grep -q '^ratio' "$logs/compare-pytorch-batch.txt" && echo ok || verdict $rc)" "$(grep -E '^ratio' "$logs/compare-pytorch-batch.txt")"
  cat "$logs/compare-pytorch-batch.txt" >>"$logs/compare-pytorch.txt"
else
  note "pytorch compare" "skipped" "no torch/scipy/PIL for python3 on this host"
fi
pack

# ---- PyTorch side by side: ResNet-50's training step at batch 64 ----
echo "== compare_pytorch_resnet.py ($(elapsed) s so far)"
if python3 -c "import torch, scipy" 2>/dev/null; then
  t=$(slice pytorch-resnet)
  # The script runs nst and nst-bench from a build folder: give it one that points at the bundle's wrapper.
  mkdir -p /tmp/nst-rbuild/apps
  for prog in nst nst-bench; do
    printf '#!/usr/bin/env bash\nexec "%s" "%s" "$@"\n' "$run" "$B/bin/$prog" >"/tmp/nst-rbuild/apps/$prog"
    chmod +x "/tmp/nst-rbuild/apps/$prog"
  done
  PYTHONUNBUFFERED=1 limited "$t" python3 bench/compare_pytorch_resnet.py --build /tmp/nst-rbuild --device cuda \
    --work /tmp/nst-compare-resnet >"$logs/compare-pytorch-resnet.txt" 2>&1
  rc=$?
  tail -n 12 "$logs/compare-pytorch-resnet.txt"
  status=ok
  grep -q "libnst / this" "$logs/compare-pytorch-resnet.txt" || status="$(verdict $rc)"
  note "pytorch resnet" "$status" "$(grep -E 'step-1 loss|PyTorch eager  ' "$logs/compare-pytorch-resnet.txt" | sed 's/  */ /g' | tr '\n' ';' | cut -c1-300)"
  cat "$logs/compare-pytorch-resnet.txt" >>"$logs/compare-pytorch.txt"
else
  note "pytorch resnet" "skipped" "no torch/scipy for python3 on this host"
fi
pack

# ---- compute-sanitizer on a short transfer ----
echo "== compute-sanitizer memcheck ($(elapsed) s so far)"
export PATH="$PATH:${CUDA_HOME:-/usr/local/cuda}/bin"  # compute-sanitizer is in the toolkit's bin/
if command -v compute-sanitizer >/dev/null; then
  # cuDNN's first calls under memcheck take minutes, not seconds: the caps are what is left, up to 150 s.
  t=$(slice memcheck)
  limited "$t" "$run" compute-sanitizer --tool memcheck --error-exitcode 9 "$B/bin/nst" transfer \
    --content "$B/fixtures/content.png" --style "$B/fixtures/style.png" --output /tmp/nst-memcheck.png \
    --weights "$B/fixtures/vgg19-div8.mat" --size 48 --iterations 3 --device cuda >"$logs/memcheck.txt" 2>&1
  rc=$?
  tail -n 5 "$logs/memcheck.txt"
  note "memcheck" "$(verdict $rc)" "$(grep -E 'ERROR SUMMARY' "$logs/memcheck.txt" | tail -n 1)"
  t=$(slice memcheck-train)
  limited "$t" "$run" compute-sanitizer --tool memcheck --error-exitcode 9 "$B/bin/nst" train --data synthetic:40 \
    --batch 16 --steps 3 --device cuda >"$logs/memcheck-train.txt" 2>&1
  rc=$?
  tail -n 5 "$logs/memcheck-train.txt"
  note "memcheck train" "$(verdict $rc)" "$(grep -E 'ERROR SUMMARY' "$logs/memcheck-train.txt" | tail -n 1)"
else
  note "memcheck" "skipped" "no compute-sanitizer"
fi
