#!/usr/bin/env bash
# write_fixtures.sh NST DIR: the weight files the CLI tests read, written by `nst weights write-random`.
set -euo pipefail
nst=$1 dir=$2
mkdir -p "$dir"
"$nst" weights write-random "$dir/vgg19-div8.mat" --seed 1 --channel-divisor 8
"$nst" weights write-random "$dir/vgg19-div8-old-v73.mat" --seed 1 --channel-divisor 8 --layout old --container v73
