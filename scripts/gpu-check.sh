#!/usr/bin/env bash
# scripts/gpu-check.sh REPORT_DIR: the one prepared GPU validation, for one device call of at most 8
# minutes, from the repository root on the GPU host, with out/nst-bundle.tar.xz (scripts/bundle.sh) carried:
#   nvidia-smi summary; every GPU test (each CUDA op against its CPU twin, and the end-to-end GPU-vs-CPU
#   transfer); nst-bench (ops at 512 px shapes, iterations at 256/512/1024 px, CPU iterations);
#   bench/compare_pytorch.py at 512 px; compute-sanitizer memcheck on a short transfer.
# Everything is logged under REPORT_DIR; a short summary table is printed last. If the bundle cannot start
# there, it says why and builds on the host with cmake and ninja instead.
set -uo pipefail
report=${1:-gpu-report}
mkdir -p "$report"
start=$(date +%s)
elapsed() { echo $(( $(date +%s) - start )); }
summary=()
note() { summary+=("$(printf '%-22s %-8s %s' "$1" "$2" "$3")"); }

echo "== gpu-check $(date -u +%Y-%m-%dT%H:%M:%SZ)"
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv,noheader | tee "$report/gpu.txt"
gpu=$(head -n 1 "$report/gpu.txt")
note "gpu" "-" "${gpu:-nvidia-smi failed}"

# ---- the programs: the bundle, or a build on the host ----
bundle=/tmp/nst-bundle-unpacked
run=""
if [ -f out/nst-bundle.tar.xz ]; then
  rm -rf "$bundle" && mkdir -p "$bundle" && tar -xJf out/nst-bundle.tar.xz -C "$bundle"
  B="$bundle/nst-bundle"
  run="$B/nst-run"
  if "$run" "$B/bin/nst" --version >"$report/version.txt" 2>&1; then
    note "bundle" "ok" "commit $(head -n 1 "$B/COMMIT")"
  else
    echo "gpu-check: the bundle does not start here:"; cat "$report/version.txt"
    note "bundle" "FAILED" "$(tail -n 1 "$report/version.txt")"
    run=""
  fi
else
  note "bundle" "absent" "out/nst-bundle.tar.xz was not carried"
fi
if [ -z "$run" ]; then
  echo "gpu-check: building on the host with cmake and ninja"
  if cmake -S . -B build-host -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CUDA_ARCHITECTURES=90 >"$report/host-build.log" 2>&1 &&
     cmake --build build-host -j "$(nproc)" >>"$report/host-build.log" 2>&1; then
    B="$bundle/host" && rm -rf "$B" && mkdir -p "$B"/{bin,fixtures}
    cp build-host/apps/nst build-host/apps/nst-bench build-host/tests/nst_tests build-host/tests/nst_gpu_tests \
       build-host/tests/nst_make_test_images "$B/bin/"
    printf '#!/usr/bin/env bash\nexec "$@"\n' >"$B/nst-run" && chmod +x "$B/nst-run"
    run="$B/nst-run"
    "$B/bin/nst" weights write-random "$B/fixtures/vgg19-div8.mat" --seed 1 --channel-divisor 8 >/dev/null
    "$B/bin/nst_make_test_images" "$B/fixtures"
    "$B/bin/nst" --version >"$report/version.txt" 2>&1
    note "host build" "ok" "build-host/"
  else
    note "host build" "FAILED" "see host-build.log: $(grep -m1 -iE 'error|not found' "$report/host-build.log")"
    printf '%s\n' "${summary[@]}"
    exit 1
  fi
fi
cat "$report/version.txt"
export NST_RUN_QUIET=1

# ---- every GPU test (ops against the CPU, end-to-end agreement) ----
echo "== GPU tests"
timeout 240 "$run" "$B/bin/nst_gpu_tests" --durations yes 2>&1 | tee "$report/gpu-tests.log" | grep -E "^(gpu|test cases|All tests)|FAILED|rel " | tail -n 80
counts=$(grep -E "^(test cases|All tests passed)" "$report/gpu-tests.log" | tail -n 1)
status=$(grep -q "All tests passed" "$report/gpu-tests.log" && echo ok || echo FAILED)
note "gpu tests" "$status" "${counts:-no summary (timeout or crash)}"
e2e=$(grep -E "worst relative difference|it 10 " "$report/gpu-tests.log" | tail -n 1)
note "gpu vs cpu transfer" "$(grep -q 'gpu: a short transfer' "$report/gpu-tests.log" && echo ran || echo '?')" "${e2e:-see gpu-tests.log}"

# ---- nst-bench ----
echo "== nst-bench ($(elapsed) s so far)"
timeout 170 "$run" "$B/bin/nst-bench" --benchmark_filter='^cuda/' --benchmark_min_time=0.05 \
  --benchmark_out="$report/bench-cuda.json" --benchmark_out_format=json 2>&1 | tee "$report/bench-cuda.txt" | grep -E "iteration|conv_fwd/conv1_2|gram_|adam|sqdiff" | head -n 40
timeout 60 "$run" "$B/bin/nst-bench" --benchmark_filter='^cpu/iteration' --benchmark_min_time=0.01 \
  --benchmark_out="$report/bench-cpu.json" --benchmark_out_format=json 2>&1 | tee "$report/bench-cpu.txt" | grep -E "iteration"
ms512=$(awk '/cuda\/iteration\/fp32\/512px/ { print $2" "$3; exit }' "$report/bench-cuda.txt")
ms512t=$(awk '/cuda\/iteration\/tf32\/512px/ { print $2" "$3; exit }' "$report/bench-cuda.txt")
cpu128=$(awk '/cpu\/iteration\/fp32\/128px/ { print $2" "$3; exit }' "$report/bench-cpu.txt")
note "nst-bench" "$([ -s "$report/bench-cuda.json" ] && echo ok || echo FAILED)" "512px iteration: fp32 ${ms512:-?}, tf32 ${ms512t:-?}; cpu 128px ${cpu128:-?}"

# ---- PyTorch side by side at 512 px ----
echo "== compare_pytorch.py ($(elapsed) s so far)"
if python3 -c "import torch, scipy" 2>/dev/null; then
  "$run" "$B/bin/nst" weights write-random /tmp/nst-random0.mat --seed 0 --container v5-uncompressed >/dev/null
  # python3 runs with the host's libraries (PyTorch's own); only nst goes through the bundle's wrapper.
  timeout 150 python3 bench/compare_pytorch.py --nst "$run $B/bin/nst" --weights /tmp/nst-random0.mat --size 512 \
    --work /tmp/nst-compare 2>&1 | tee "$report/compare-pytorch.txt" | tail -n 15
  ratio=$(grep -E "^ratio" "$report/compare-pytorch.txt" | tail -n 1)
  note "pytorch compare" "$([ -n "$ratio" ] && echo ok || echo FAILED)" "${ratio:-see compare-pytorch.txt}"
else
  note "pytorch compare" "skipped" "no torch/scipy on this host"
fi

# ---- compute-sanitizer on a short transfer ----
echo "== compute-sanitizer memcheck ($(elapsed) s so far)"
if command -v compute-sanitizer >/dev/null; then
  timeout 120 "$run" compute-sanitizer --tool memcheck --error-exitcode 9 "$B/bin/nst" transfer \
    --content "$B/fixtures/content.png" --style "$B/fixtures/style.png" --output /tmp/nst-memcheck.png \
    --weights "$B/fixtures/vgg19-div8.mat" --size 48 --iterations 3 --device cuda >"$report/memcheck.txt" 2>&1
  rc=$?
  note "memcheck" "$([ $rc -eq 0 ] && echo ok || echo "rc=$rc")" "$(grep -E 'ERROR SUMMARY' "$report/memcheck.txt" | tail -n 1)"
else
  note "memcheck" "skipped" "no compute-sanitizer"
fi

echo
echo "== summary ($(elapsed) s)"
printf '%s\n' "${summary[@]}" | tee "$report/summary.txt"
