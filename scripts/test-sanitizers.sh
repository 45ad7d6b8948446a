#!/usr/bin/env bash
# The host code under AddressSanitizer and UndefinedBehaviorSanitizer (docs/reliability.md):
# builds libnst, its apps, its tests and the fuzz targets with clang (CPU backend, Debug at -O1) in
# build-asan/, then runs
#   1. the CPU test suite (every ctest test; any sanitizer report, leaks included, fails its test),
#   2. the hostile corpus: NST_CORPUS_COUNT mutated files of each kind (default 3000 weight files, 3000 images,
#      500 CIFAR files; fixed seed), each in its own process, with a 10 s and 1 GiB limit,
#   3. each libFuzzer target for NST_FUZZ_SECONDS (default 60) from the committed seed corpus, with
#      allocations over 1 GiB reported as findings.
# Exits non-zero at the first failure. Part of scripts/test.sh (CI).
set -euo pipefail
cd "$(dirname "$0")/.."
count=${NST_CORPUS_COUNT:-3000}
seconds=${NST_FUZZ_SECONDS:-60}
jobs=${NST_JOBS:-2}

cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DNST_WITH_CUDA=OFF -DNST_FUZZ=ON >/dev/null
cmake --build build-asan -j "$jobs"

export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=0:detect_stack_use_after_return=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$PWD/tests/fuzz/lsan.supp:print_suppressions=0
echo "test-sanitizers: the CPU test suite under ASan+UBSan"
ctest --test-dir build-asan --output-on-failure -j "$jobs"

echo "test-sanitizers: the hostile corpus"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for kind_count in "weights:$count" "image:$count" "cifar:$((count / 6))"; do
  kind=${kind_count%%:*}
  build-asan/tests/fuzz/nst_hostile_corpus "$kind" "tests/fuzz/corpus/$kind" "${kind_count#*:}" "$work/$kind" 2026
done

echo "test-sanitizers: fuzzing each reader for $seconds s"
for kind in weights image cifar; do
  mkdir -p "$work/fuzz-$kind"
  build-asan/tests/fuzz/nst_fuzz_"$kind" -max_total_time="$seconds" -timeout=10 -malloc_limit_mb=1024 \
    -rss_limit_mb=2048 -print_final_stats=1 "$work/fuzz-$kind" "tests/fuzz/corpus/$kind" 2>"$work/fuzz-$kind.log" ||
    { tail -60 "$work/fuzz-$kind.log"; exit 1; }
  grep -E "^stat::number_of_executed_units|^Done" "$work/fuzz-$kind.log" | sed "s/^/  $kind: /"
done
echo "test-sanitizers: no sanitizer report, no crash, no file over 10 s or 1 GiB"
