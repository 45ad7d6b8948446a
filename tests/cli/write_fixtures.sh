#!/usr/bin/env bash
# write_fixtures.sh NST DIR MAKE_TEST_IMAGES: the files the CLI tests read: weight files written by
# `nst weights write-random`, and synthetic pictures.
set -euo pipefail
nst=$1 dir=$2 images=$3
mkdir -p "$dir"
"$nst" weights write-random "$dir/vgg19-div8.mat" --seed 1 --channel-divisor 8
"$nst" weights write-random "$dir/vgg19-div8-old-v73.mat" --seed 1 --channel-divisor 8 --layout old --container v73
"$images" "$dir"
