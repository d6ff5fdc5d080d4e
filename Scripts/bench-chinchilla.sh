#!/usr/bin/env bash
# The Chinchilla grid comparison of issue 3, in one go on the same data and machine:
# scalefit's 4500-start Hoffmann fit (`scalefit-bench chinchilla`, release build: a short
# screening run from every start on all cores, the best 8 distinct end points polished to
# convergence) and scipy's minimize(method="L-BFGS-B") from every start of the same grid
# on the same objective (Huber 1e-3 on log-sum-exp log residuals, analytic gradient, one
# process per core), plus scipy's least_squares(loss="huber", f_scale=1e-3) from one start
# (Scripts/bench_chinchilla_scipy.py). Prints both times, the ratio, both parameter sets and
# both objective values. If scipy's grid would take more than SCIPY_BUDGET seconds (default
# 60), it runs a seeded random subset and extrapolates; the output then says SUBSET.
# Usage: Scripts/bench-chinchilla.sh [CSV]   (CSV defaults to ../shared/data/chinchilla/svg_extracted_data.csv)
set -euo pipefail
cd "$(dirname "$0")/.."
csv="${1:-../shared/data/chinchilla/svg_extracted_data.csv}"

swift build -c release --product scalefit-bench >&2
bin="$(swift build -c release --show-bin-path)/scalefit-bench"
python3 -c "import scipy" 2>/dev/null || { echo "bench-chinchilla: needs scipy (pip install scipy)" >&2; exit 1; }

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the run"
scalefit_out="$("$bin" chinchilla "$csv")"
scipy_out="$(python3 Scripts/bench_chinchilla_scipy.py "$csv" --budget "${SCIPY_BUDGET:-60}")"

echo "$scalefit_out"
echo
echo "$scipy_out"
echo

t_scalefit="$(sed -n 's/^chinchilla: total time \([0-9.e+-]*\) s.*/\1/p' <<<"$scalefit_out")"
t_scipy="$(sed -n 's/^scipy L-BFGS-B: total time \([0-9.e+-]*\) s.*/\1/p' <<<"$scipy_out")"
if [[ -z "$t_scalefit" || -z "$t_scipy" ]]; then
    echo "bench-chinchilla: a benchmark did not finish" >&2
    exit 1
fi
note=""
grep -q SUBSET <<<"$scipy_out" && note=" (scipy's time extrapolated from a random subset of starts)"
echo "== Chinchilla, Hoffmann objective, 4500-start grid, 240 runs"
echo "scalefit:       $t_scalefit s; $(sed -n 's/^chinchilla: \(E=.*\)/\1/p' <<<"$scalefit_out"); objective $(sed -n 's/^chinchilla: objective \([0-9.e+-]*\).*/\1/p' <<<"$scalefit_out")"
echo "scipy L-BFGS-B: $t_scipy s; $(sed -n 's/^scipy L-BFGS-B: \(E=.*\)/\1/p' <<<"$scipy_out"); objective $(sed -n 's/^scipy L-BFGS-B: objective \([0-9.e+-]*\).*/\1/p' <<<"$scipy_out")"
awk -v a="$t_scalefit" -v b="$t_scipy" -v n="$note" 'BEGIN { printf "speed-up: scalefit is %.0fx faster than scipy L-BFGS-B over the grid%s\n", b / a, n }'
