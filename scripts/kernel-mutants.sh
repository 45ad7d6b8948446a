#!/usr/bin/env bash
# scripts/kernel-mutants.sh: proves that the kernel tests catch broken kernels. Each mutant is a copy of
# kernels/ with one deliberate bug (a removed __syncthreads, an off-by-one bound or index); the kernel tests
# (tests/ops/test_<op>_kernels.cpp, run on the CPU by the kernel harness under ASan and UBSan) are built
# against it in build-mutants/ and must fail (the tests of the op the mutant breaks are run). Exits 1 if a
# mutant survives or no longer applies (then the kernel changed: update its line in
# tests/ops/kernel_mutants.txt). On 2 cores: about 5 minutes for the 36 mutants, cold (two first builds,
# then about 15 s a mutant on each of two workers). An argument runs only the mutants whose name contains it.
set -euo pipefail
only=${1:-}
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# mutate COPY FILE K TEXT REPLACEMENT: COPY/FILE becomes kernels/FILE with the first TEXT of its K-th line
# containing TEXT replaced by REPLACEMENT.
mutate() {
  awk -v k="$3" -v text="$4" -v repl="$5" '
    index($0, text) && ++seen == k { i = index($0, text); $0 = substr($0, 1, i - 1) repl substr($0, i + length(text)); done = 1 }
    { print }
    END { exit !done }' "$root/kernels/$2" >"$1/$2.new" && mv "$1/$2.new" "$1/$2"
}

# The mutants: tests/ops/kernel_mutants.txt, one a line (name | file | occurrence | text | replacement | spec).
mapfile -t mutants < <(grep -v '^#' tests/ops/kernel_mutants.txt | grep .)

selected=()
for m in "${mutants[@]}"; do
  IFS='|' read -r name _ <<<"$m"
  [[ -z "$only" || "$name" == *"$only"* ]] && selected+=("$m")
done
# Workers, one a core (at most 2): each with its own copy of kernels/ and its own build in
# build-mutants/w<N>, taking every workers-th mutant. A worker puts back the file the last mutant broke
# before breaking the next, so a build recompiles only what includes those two files.
workers=$(nproc)
[ "$workers" -gt 2 ] && workers=2
[ "${#selected[@]}" -lt "$workers" ] && workers=${#selected[@]}
[ "$workers" -lt 1 ] && workers=1

# setup W: worker W's kernels and build, checked to pass unmutated.
setup() {
  local dir="$work/w$1" build="build-mutants/w$1"
  mkdir -p "$dir" && cp -r kernels "$dir/kernels"
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DNST_WITH_CUDA=OFF -DNST_BUILD_APPS=OFF \
    -DNST_KERNELS_DIR="$dir/kernels" >/dev/null
  cmake --build "$build" --target nst_kernel_tests -j 1 >"$dir/build.log" 2>&1 || { cat "$dir/build.log"; return 1; }
  "$build/tests/nst_kernel_tests" >"$dir/run.log" 2>&1 || { cat "$dir/run.log"; echo "kernel-mutants: the unmutated kernels fail"; return 1; }
}

# worker W: its share of the mutants; one result line each in $work/w<W>/results, "<index>|<line>".
worker() {
  local w=$1 dir="$work/w$1" build="build-mutants/w$1" copy="$work/w$1/kernels" prev="" i
  for ((i = w; i < ${#selected[@]}; i += workers)); do
    IFS='|' read -r name file k text repl spec <<<"${selected[$i]}"
    [ -n "$prev" ] && cp "kernels/$prev" "$copy/$prev"
    prev=$file
    local line
    if ! mutate "$copy" "$file" "$k" "$text" "$repl"; then
      line="NO LONGER APPLIES: $name (kernels/$file has no line $k with '$text')"
    elif ! cmake --build "$build" --target nst_kernel_tests -j 1 >"$dir/build.log" 2>&1; then
      line="killed (it does not compile): $name"
    elif timeout 300 "$build/tests/nst_kernel_tests" "$spec" >"$dir/run.log" 2>&1; then
      line="SURVIVED: $name"
    else
      line="killed: $name -- $(grep -m1 -E 'FAILED|ERROR: AddressSanitizer|runtime error|test cases' "$dir/run.log" | cut -c1-100)"
    fi
    echo "$i|$line" >>"$dir/results"
  done
  [ -n "$prev" ] && cp "kernels/$prev" "$copy/$prev"
  cmake --build "$build" --target nst_kernel_tests -j 1 >/dev/null 2>&1 || true  # leave it matching the real kernels
}

pids=()
for ((w = 0; w < workers; ++w)); do setup "$w" & pids+=($!); done
for p in "${pids[@]}"; do wait "$p" || exit 1; done
echo "kernel-mutants: the unmutated kernels pass ($workers builds); ${#selected[@]} mutants on $workers workers"
pids=()
for ((w = 0; w < workers; ++w)); do worker "$w" & pids+=($!); done
for p in "${pids[@]}"; do wait "$p"; done
cat "$work"/w*/results 2>/dev/null | sort -t'|' -k1,1n | cut -d'|' -f2- >"$work/results"
cat "$work/results"
ran=$(wc -l <"$work/results")
survived=$(grep -c -E '^(SURVIVED|NO LONGER APPLIES)' "$work/results" || true)
echo "kernel-mutants: $ran mutants run, $((ran - survived)) killed, $survived survived or no longer apply"
[ "$survived" -eq 0 ] && [ "$ran" -eq "${#selected[@]}" ] && [ "$ran" -gt 0 ]
