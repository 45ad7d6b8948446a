#!/usr/bin/env bash
# scripts/kernel-mutants.sh: proves that the kernel tests catch broken kernels. Each mutant is a copy of
# kernels/ with one deliberate bug (a removed __syncthreads, an off-by-one bound or index); the kernel tests
# (tests/ops/test_<op>_kernels.cpp, run on the CPU by the kernel harness under ASan and UBSan) are built
# against it in build-mutants/ and must fail (the tests of the op the mutant breaks are run). Exits 1 if a
# mutant survives or no longer applies (then the kernel changed: update its line here). About 10 s a mutant
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

mutants=(
  # name | file | occurrence | text | replacement | the kernel tests to run (Catch2 spec)
  "reduce: no barrier before the block's tree|reduce.cuh|1|__syncthreads();||[reduce]"
  "reduce: no barrier inside the block's tree|reduce.cuh|2|__syncthreads();||[reduce]"
  "reduce: block_sum without the barrier before its tree|reduce.cuh|3|__syncthreads();||[conv]"
  "reduce: block_sum without the barrier inside its tree|reduce.cuh|4|__syncthreads();||[conv]"
  "reduce: block_sum without its closing barrier (the cache reused too early)|reduce.cuh|5|__syncthreads();||[batch_norm]"
  "reduce: no barrier before the final tree|reduce.cuh|6|__syncthreads();||[reduce]"
  "reduce: no barrier inside the final tree|reduce.cuh|7|__syncthreads();||[reduce]"
  "reduce: the block's tree stops one level early|reduce.cuh|1|half > 0|half > 1|[reduce]"
  "reduce: block_sum's tree stops one level early|reduce.cuh|2|half > 0|half > 1|[conv]"
  "reduce: the final tree stops one level early|reduce.cuh|3|half > 0|half > 1|[reduce]"
  "launch: the grid-stride loop runs one past n|launch.cuh|1|i_ < end.i_|i_ <= end.i_|[vector]"
  "pool: forward output rows floored (cuDNN's odd-size drop)|pool.cuh|1|(H + 1) / 2|H / 2|[pool]"
  "pool: backward reads the window one column over|pool.cuh|1|w / 2;|(w + 1) / 2;|[pool]"
  "tv_loss: the sum misses the last row|tv_loss.cuh|1|planes * height * width|planes * height * width - width|[tv_loss]"
  "tv_loss: the gradient misses the last element|tv_loss.cuh|2|planes * height * width|planes * height * width - 1|[tv_loss]"
  "content_loss: the gradient misses the last element|content_loss.cuh|1|for_each_index(n,|for_each_index(n - 1,|[content_loss]"
  "temporal_loss: the sum misses the last element|temporal_loss.cuh|1|, n, scale|, n - 1, scale|[temporal_loss]"
  "temporal_loss: the gradient reads the mask per element, not per pixel|temporal_loss.cuh|1|i) % pixels)|i) % (pixels + 1))|[temporal_loss]"
  "gram: the mirror skips the first subdiagonal|gram.cuh|1|if (i > j)|if (i > j + 1)|[gram]"
  "gram: the style loss sums one element short|gram.cuh|1|std::size_t(C) * C,|std::size_t(C) * C - 1,|[gram]"
  "vector: axpy misses the last element|vector.cuh|2|for_each_index(n,|for_each_index(n - 1,|[vector]"
  "adam: the update misses the last element|adam.cuh|1|for_each_index(n,|for_each_index(n - 1,|[adam]"
  "image: the noise misses the last element|image.cuh|1|for_each_index(n,|for_each_index(n - 1,|[image]"
  "conv: the bias gradient misses a channel's last value|conv.cuh|1|i < count;|i + 1 < count;|[conv]"
  "batch_norm: the mean misses a channel's last value|batch_norm.cuh|1|k < v.per_channel;|k + 1 < v.per_channel;|[batch_norm]"
  "batch_norm: the training output misses a channel's last value|batch_norm.cuh|3|k < v.per_channel;|k + 1 < v.per_channel;|[batch_norm]"
  "batch_norm: the backward's sums miss a channel's last value|batch_norm.cuh|4|k < v.per_channel;|k + 1 < v.per_channel;|[batch_norm]"
  "batch_norm: inference takes the next channel's statistics|batch_norm.cuh|1|i / plane % channels|(i / plane + 1) % channels|[batch_norm]"
  "crop: the forward misses the last element|crop.cuh|1|for_each_index(n,|for_each_index(n - 1,|[crop]"
  "crop: the backward overwrites instead of adding|crop.cuh|1|] += dy[i];|] = dy[i];|[crop]"
  "add: misses the last element|add.cuh|1|for_each_index(n,|for_each_index(n - 1,|[add]"
  "sgd: misses the last element|sgd.cuh|1|for_each_index(n,|for_each_index(n - 1,|[sgd]"
  "global_avg_pool: each mean misses its last pixel|global_avg_pool.cuh|1|j < pixels;|j + 1 < pixels;|[global_avg_pool]"
  "dense: the bias gradient misses the last row|dense.cuh|1|n < rows;|n + 1 < rows;|[dense]"
  "dense: the bias broadcast misses the last element|dense.cuh|1|std::size_t(N) * outputs,|std::size_t(N) * outputs - 1,|[dense]"
  "softmax_cross_entropy: the total misses the last row|softmax_cross_entropy.cuh|1|n < batch;|n + 1 < batch;|[softmax_cross_entropy]"
)

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
