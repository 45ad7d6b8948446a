#!/usr/bin/env bash
# The hostile-file stages (docs/reliability.md), from the sanitized CPU-only build in build-cpu/
# (scripts/test-cpu-only.sh build; ASan+UBSan, libFuzzer targets):
#   1. the hostile corpus: NST_CORPUS_COUNT mutated weight files (default 600) and twice as many images, a
#      fifth as many CIFAR files (fixed seed 2026; the ctest suite already ran 300/300/100 of seed 7), each
#      in its own process, with a 10 s and 1 GiB limit,
#   2. each libFuzzer target for NST_FUZZ_SECONDS (default 40) from the committed seed corpus, with
#      allocations over 1 GiB reported as findings.
# The weights corpus (the slowest: about 0.35 s a file) runs beside the rest, one process on each core.
# Exits non-zero at the first failure. Part of scripts/test.sh (CI).
set -euo pipefail
cd "$(dirname "$0")/.."
count=${NST_CORPUS_COUNT:-600}
seconds=${NST_FUZZ_SECONDS:-40}
[ -x build-cpu/tests/fuzz/nst_fuzz_weights ] || { echo "test-sanitizers: build-cpu/ has no fuzz targets: run scripts/test-cpu-only.sh build" >&2; exit 1; }
export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=0:detect_stack_use_after_return=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$PWD/tests/fuzz/lsan.supp:print_suppressions=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

corpus() {  # corpus KIND COUNT
  build-cpu/tests/fuzz/nst_hostile_corpus "$1" "tests/fuzz/corpus/$1" "$2" "$work/$1" 2026 >"$work/corpus-$1.log" 2>&1
}
fuzz() {  # fuzz KIND
  mkdir -p "$work/fuzz-$1"
  build-cpu/tests/fuzz/nst_fuzz_"$1" -max_total_time="$seconds" -timeout=10 -malloc_limit_mb=1024 \
    -rss_limit_mb=2048 -print_final_stats=1 "$work/fuzz-$1" "tests/fuzz/corpus/$1" 2>"$work/fuzz-$1.log" ||
    { tail -60 "$work/fuzz-$1.log"; return 1; }
  grep -E "^stat::number_of_executed_units|^Done" "$work/fuzz-$1.log" | sed "s/^/  $1: /"
}
others() {
  corpus image $((count * 2)) && corpus cifar $((count / 5)) && fuzz weights && fuzz image && fuzz cifar
}

echo "test-sanitizers: the hostile corpus ($count weight files, $((count * 2)) images, $((count / 5)) CIFAR files) and each reader fuzzed for $seconds s"
corpus weights "$count" &
weights_pid=$!
others_rc=0
others || others_rc=$?
weights_rc=0
wait "$weights_pid" || weights_rc=$?
cat "$work"/corpus-*.log
[ "$weights_rc" -eq 0 ] && [ "$others_rc" -eq 0 ] || { echo "test-sanitizers: a hostile file or a fuzz input failed (above)"; exit 1; }
echo "test-sanitizers: no sanitizer report, no crash, no file over 10 s or 1 GiB"
