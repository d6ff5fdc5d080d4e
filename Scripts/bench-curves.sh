#!/usr/bin/env bash
# The loss-curve speed comparison of issue 4, in one go: `scalefit-bench curves` (release
# build; the multi-power law on four 72,000-step curves, two schedule families, 12-start grid
# and one start) writes the families as CSV, and scipy's least_squares (TRF, Huber
# f_scale = 1e-3, analytic Jacobian, the law's sums in numpy; Scripts/bench_curves_scipy.py)
# fits the same data from the same first start. Prints both, and the single-start speed-up.
# Usage: Scripts/bench-curves.sh
set -euo pipefail
cd "$(dirname "$0")/.."

swift build -c release --product scalefit-bench >&2
bin="$(swift build -c release --show-bin-path)/scalefit-bench"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT

scalefit_out="$("$bin" curves --runs 3 --write "$dir")"
echo "$scalefit_out"
echo

mapfile -t starts < <(sed -n 's/^curves:   single start \([^:]*\):.*/\1/p' <<<"$scalefit_out")
mapfile -t ours < <(sed -n 's/^curves:   single start [^:]*: \([0-9.]*\) s,.*/\1/p' <<<"$scalefit_out")
families=(wsd-family cosine-family)
if [[ ${#starts[@]} -ne 2 || ${#ours[@]} -ne 2 ]]; then
    echo "bench-curves: scalefit-bench curves did not print two single-start lines" >&2
    exit 1
fi
for i in 0 1; do
    echo "== ${families[$i]}, one start (${starts[$i]})"
    scipy_out="$(python3 Scripts/bench_curves_scipy.py "$dir/${families[$i]}.csv" --start "${starts[$i]}")"
    echo "$scipy_out"
    theirs="$(sed -n 's/^scipy: single start: \([0-9.]*\) s wall.*/\1/p' <<<"$scipy_out")"
    if [[ -z "$theirs" ]]; then
        echo "bench-curves: the scipy fit did not finish" >&2
        exit 1
    fi
    awk -v a="${ours[$i]}" -v b="$theirs" \
        'BEGIN { printf "speed-up, one start: scalefit %.3f s, scipy %.3f s: %.0fx\n\n", a, b, b / a }'
done
