#!/usr/bin/env bash
# scripts/kernel-mutants.sh: proves that the kernel tests catch broken kernels. Each mutant is a copy of
# kernels/ with one deliberate bug (a removed __syncthreads, an off-by-one bound or index); the kernel tests
# (tests/ops/test_<op>_kernels.cpp, run on the CPU by the kernel harness under ASan and UBSan) are built
# against it in build-mutants/ and must fail (the tests of the op the mutant breaks are run). Exits 1 if a
# mutant survives or no longer applies (then the kernel changed: update its line here). About 10 s a mutant
# on 2 cores after the first build.
set -euo pipefail
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

mutants=(
  # name | file | occurrence | text | replacement | the kernel tests to run (Catch2 spec)
  "reduce: no barrier before the block's tree|reduce.cuh|1|__syncthreads();||[reduce]"
  "reduce: no barrier inside the block's tree|reduce.cuh|2|__syncthreads();||[reduce]"
  "reduce: no barrier before the final tree|reduce.cuh|3|__syncthreads();||[reduce]"
  "reduce: no barrier inside the final tree|reduce.cuh|4|__syncthreads();||[reduce]"
  "reduce: the block's tree stops one level early|reduce.cuh|1|half > 0|half > 1|[reduce]"
  "reduce: the final tree stops one level early|reduce.cuh|2|half > 0|half > 1|[reduce]"
  "launch: the grid-stride loop runs one past n|launch.cuh|1|i_ < end.i_|i_ <= end.i_|[vector]"
  "pool: forward output rows floored (cuDNN's odd-size drop)|pool.cuh|1|(H + 1) / 2|H / 2|[pool]"
  "pool: backward reads the window one column over|pool.cuh|1|w / 2;|(w + 1) / 2;|[pool]"
  "tv_loss: the sum misses the last row|tv_loss.cuh|1|planes * height * width|planes * height * width - width|[tv_loss]"
  "tv_loss: the gradient misses the last element|tv_loss.cuh|2|planes * height * width|planes * height * width - 1|[tv_loss]"
  "content_loss: the gradient misses the last element|content_loss.cuh|1|for_each_index(n,|for_each_index(n - 1,|[content_loss]"
  "gram: the mirror skips the first subdiagonal|gram.cuh|1|if (i > j)|if (i > j + 1)|[gram]"
  "gram: the style loss sums one element short|gram.cuh|1|std::size_t(C) * C,|std::size_t(C) * C - 1,|[gram]"
  "vector: axpy misses the last element|vector.cuh|2|for_each_index(n,|for_each_index(n - 1,|[vector]"
  "adam: the update misses the last element|adam.cuh|1|for_each_index(n,|for_each_index(n - 1,|[adam]"
  "image: the noise misses the last element|image.cuh|1|for_each_index(n,|for_each_index(n - 1,|[image]"
)

cp -r kernels "$copy"
cmake -S . -B build-mutants -G Ninja -DCMAKE_BUILD_TYPE=Debug -DNST_WITH_CUDA=OFF -DNST_BUILD_APPS=OFF \
  -DNST_KERNELS_DIR="$copy" >/dev/null
cmake --build build-mutants --target nst_kernel_tests >/dev/null
build-mutants/tests/nst_kernel_tests >"$work/run.log" 2>&1 || { cat "$work/run.log"; echo "kernel-mutants: the unmutated kernels fail"; exit 1; }
echo "kernel-mutants: the unmutated kernels pass: $(grep -m1 'All tests passed' "$work/run.log")"

survived=0
for m in "${mutants[@]}"; do
  IFS='|' read -r name file k text repl spec <<<"$m"
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
echo "kernel-mutants: ${#mutants[@]} mutants, $((${#mutants[@]} - survived)) killed, $survived survived or no longer apply"
[ "$survived" -eq 0 ]
