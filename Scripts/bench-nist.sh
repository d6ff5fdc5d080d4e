#!/usr/bin/env bash
# The NIST StRD speed comparison of issue 2, in one go: scalefit's 54 fits
# (`scalefit-bench nist`, release build) and scipy's least_squares(method="lm") (MINPACK,
# analytic Jacobians, Scripts/bench_nist_scipy.py) on the same files; prints both tallies,
# both total times and the ratio.
# Usage: Scripts/bench-nist.sh [DIR]      (DIR defaults to ../shared/data/nist)
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-../shared/data/nist}"

swift build -c release --product scalefit-bench >&2
bin="$(swift build -c release --show-bin-path)/scalefit-bench"

scalefit_out="$("$bin" nist "$dir")" || true
scipy_out="$(python3 Scripts/bench_nist_scipy.py "$dir")"

echo "$scalefit_out"
echo
echo "$scipy_out"
echo

seconds() { sed -n 's/^[a-z]*: total time \([0-9.e+-]*\) s.*/\1/p' <<<"$1"; }
t_scalefit="$(seconds "$scalefit_out")"
t_scipy="$(seconds "$scipy_out")"
if [[ -z "$t_scalefit" || -z "$t_scipy" ]]; then
    echo "bench-nist: a benchmark did not finish" >&2
    exit 1
fi
echo "== NIST StRD, 54 fits"
echo "scalefit: $(tail -n 1 <<<"$scalefit_out" | sed 's/^nist: //'), $t_scalefit s"
echo "scipy lm: $(tail -n 1 <<<"$scipy_out" | sed 's/^scipy: //'), $t_scipy s"
awk -v a="$t_scalefit" -v b="$t_scipy" 'BEGIN { printf "speed-up: scalefit is %.1fx faster than scipy (MINPACK)\n", b / a }'
