#!/usr/bin/env bash
# scripts/kernel-mutants.sh: proves that the kernel tests catch broken kernels. Each mutant is a copy of
# kernels/ with one deliberate bug (a removed __syncthreads, an off-by-one bound or index); the kernel tests
# (tests/ops/test_<op>_kernels.cpp, run on the CPU by the kernel harness under ASan and UBSan) are built
# against it in build-mutants/ and must fail (the tests of the op the mutant breaks are run). Exits 1 if a
# mutant survives or no longer applies (then the kernel changed: update its line in tests/ops/kernel_mutants.txt). About 10 s a mutant
# on 2 cores after the first build. An argument runs only the mutants whose name contains it.
set -euo pipefail
only=${1:-}
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
copy="$work/kernels"

# mutate FILE K TEXT REPLACEMENT: in the K-th line of FILE containing TEXT, its first TEXT becomes REPLACEMENT.
mutate() {
  awk -v k="$2" -v text="$3" -v repl="$4" '
    index($0, text) && ++seen == k { i = index($0, text); $0 = substr($0, 1, i - 1) repl substr($0, i + length(text)); done = 1 }
    { print }
    END { exit !done }' "$root/kernels/$1" >"$copy/$1.new" && mv "$copy/$1.new" "$copy/$1"
}

# The mutants: tests/ops/kernel_mutants.txt, one a line (name | file | occurrence | text | replacement | spec).
mapfile -t mutants < <(grep -v '^#' tests/ops/kernel_mutants.txt | grep .)

cp -r kernels "$copy"
cmake -S . -B build-mutants -G Ninja -DCMAKE_BUILD_TYPE=Debug -DNST_WITH_CUDA=OFF -DNST_BUILD_APPS=OFF \
  -DNST_KERNELS_DIR="$copy" >/dev/null
cmake --build build-mutants --target nst_kernel_tests >/dev/null
build-mutants/tests/nst_kernel_tests >"$work/run.log" 2>&1 || { cat "$work/run.log"; echo "kernel-mutants: the unmutated kernels fail"; exit 1; }
echo "kernel-mutants: the unmutated kernels pass: $(grep -m1 'All tests passed' "$work/run.log")"

survived=0
ran=0
for m in "${mutants[@]}"; do
  IFS='|' read -r name file k text repl spec <<<"$m"
  [[ -z "$only" || "$name" == *"$only"* ]] || continue
  ran=$((ran + 1))
  rm -rf "$copy" && cp -r kernels "$copy"
  if ! mutate "$file" "$k" "$text" "$repl"; then
    echo "NO LONGER APPLIES: $name (kernels/$file has no line $k with '$text')"
    survived=$((survived + 1))
    continue
  fi
  if ! cmake --build build-mutants --target nst_kernel_tests >"$work/build.log" 2>&1; then
    echo "killed (it does not compile): $name"
    continue
  fi
  if timeout 300 build-mutants/tests/nst_kernel_tests "$spec" >"$work/run.log" 2>&1; then
    echo "SURVIVED: $name"
    survived=$((survived + 1))
  else
    echo "killed: $name -- $(grep -m1 -E 'FAILED|ERROR: AddressSanitizer|runtime error|test cases' "$work/run.log" | cut -c1-100)"
  fi
done
rm -rf "$copy" && cp -r kernels "$copy"  # leave build-mutants matching the real kernels
echo "kernel-mutants: $ran mutants run, $((ran - survived)) killed, $survived survived or no longer apply"
[ "$survived" -eq 0 ] && [ "$ran" -gt 0 ]
