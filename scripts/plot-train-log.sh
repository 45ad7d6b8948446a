#!/usr/bin/env bash
# scripts/plot-train-log.sh LOG.csv OUT.png [TITLE]: plots an `nst train --log` file (step,epoch,loss,accuracy:
# each step's batch before its update) with gnuplot: the batch loss and accuracy per step, each with its
# running mean over the last 20 steps, and the epoch boundaries. Needs gnuplot (Debian: gnuplot-nox); the
# plots in docs/ were made with it. Not part of the build or the tests.
set -euo pipefail
log=$1 out=$2 title=${3:-nst train}
command -v gnuplot >/dev/null || { echo "plot-train-log: needs gnuplot (apt-get install gnuplot-nox)"; exit 1; }
[ "$(head -n 1 "$log")" = "step,epoch,loss,accuracy" ] || { echo "plot-train-log: $log is not an nst train log"; exit 1; }
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
# step epoch loss accuracy mean-loss mean-accuracy (means over the last 20 steps)
awk -F, 'NR > 1 { i = (NR - 2) % 20; sl += $3 - l[i]; sa += $4 - a[i]; l[i] = $3; a[i] = $4; n = NR - 1 < 20 ? NR - 1 : 20;
  print $1, $2, $3, $4, sl / n, sa / n }' "$log" >"$tmp"
bounds=$(awk 'NR > 1 && $2 != prev { printf "set arrow from %d, graph 0 to %d, graph 1 nohead dt 3 lc rgb \"#999999\"; ", $1, $1 } { prev = $2 }' "$tmp")
gnuplot <<GNUPLOT
set terminal pngcairo size 1000,420 font "sans,10"
set output "$out"
set multiplot layout 1,2 title "$title"
set xlabel "step"
set grid
$bounds
set ylabel "loss (cross-entropy)"
plot "$tmp" using 1:3 with points pt 7 ps 0.3 lc rgb "#9ecae1" title "batch", \
     "$tmp" using 1:5 with lines lw 2 lc rgb "#08519c" title "mean of the last 20 steps"
set ylabel "accuracy"
set yrange [0:1]
set key bottom right
plot "$tmp" using 1:4 with points pt 7 ps 0.3 lc rgb "#a1d99b" title "batch", \
     "$tmp" using 1:6 with lines lw 2 lc rgb "#006d2c" title "mean of the last 20 steps", \
     0.01 with lines dt 2 lc rgb "#cb181d" title "chance (1/100)"
unset multiplot
GNUPLOT
echo "plot-train-log: wrote $out"
