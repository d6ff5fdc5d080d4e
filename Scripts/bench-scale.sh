#!/usr/bin/env bash
# Scale benchmark (issue 16), every figure from one run on the same machine: the Chinchilla
# fit (4500-start grid) of 1k, 10k and 100k synthetic runs — wall time and peak RSS — with
# the 10k/1k time ratio; the same 20,000 predicted rows written as a table and as CSV; and
# `predict` of 10^6 steps as CSV. The runs are Hoffmann's law with 0.5% noise (seeded), N
# from 3e7 to 3e9 and D/N from 3 to 300, written by awk (no Python needed).
# Usage: Scripts/bench-scale.sh            (builds the release binary first)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product scalefit >&2
bin="$(swift build -c release --show-bin-path)/scalefit"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

runs() { # N FILE: N runs of L = 1.69 + 406.4/N^0.34 + 410.7/D^0.28, times (1 + 0.005·z)
    awk -v n="$1" 'BEGIN {
        srand(2026); print "run,params,tokens,loss"
        for (i = 0; i < n; i++) {
            N = 10 ^ (7.5 + 2 * rand()); D = N * 10 ^ (0.5 + 2 * rand())
            u1 = rand(); if (u1 < 1e-300) u1 = 1e-300
            z = sqrt(-2 * log(u1)) * cos(6.283185307179586 * rand())
            printf "r%d,%.0f,%.0f,%.6f\n", i, N, D, (1.69 + 406.4 / N ^ 0.34 + 410.7 / D ^ 0.28) * (1 + 0.005 * z)
        } }' > "$2"
}

measure() { # LABEL COMMAND…: wall seconds and peak RSS of one run, output discarded
    local label="$1"; shift
    /usr/bin/time -f "%e %M" -o "$tmp/time" "$@" > "$tmp/out" 2> "$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
    read -r wall kb < "$tmp/time"
    printf '%-44s %8.2f s %8.0f MB\n' "$label" "$wall" "$((kb / 1024))"
    eval "t_${label//[^a-zA-Z0-9]/_}=$wall"
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the run"
for n in 1000 10000 100000; do
    runs "$n" "$tmp/runs$n.csv"
    measure "fit chinchilla $n runs" "$bin" fit "$tmp/runs$n.csv" --format csv
done
awk -v a="$t_fit_chinchilla_1000_runs" -v b="$t_fit_chinchilla_10000_runs" 'BEGIN { printf "10k/1k time ratio: %.1f (linear: 10)\n", b / a }'

"$bin" fit Data/curves.csv --law annealing -o "$tmp/curves.fit.json" > /dev/null 2>&1
measure "predict 20000 steps, table" "$bin" predict "$tmp/curves.fit.json" --run constant --steps 0:199990:10
measure "predict 20000 steps, csv" "$bin" predict "$tmp/curves.fit.json" --run constant --steps 0:199990:10 --format csv
awk -v a="$t_predict_20000_steps__table" -v b="$t_predict_20000_steps__csv" 'BEGIN { printf "table/csv time ratio: %.2f (target <= 3)\n", a / b }'
measure "predict 1000000 steps, csv" "$bin" predict "$tmp/curves.fit.json" --run constant --steps 0:999999:1 --format csv
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
