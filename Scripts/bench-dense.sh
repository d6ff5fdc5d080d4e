#!/usr/bin/env bash
# The loss-curve fits of issue 14's targets: one real 72,000-step cosine curve (multi-power),
# and dense logs (a loss at every step) of 10^5 and 10^6 points for each law, with wall
# time, CPU time and peak RSS. Usage: Scripts/bench-dense.sh [POINTS ...]   (default 100000 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .build/release/scalefit-bench ] && [ -x .build/release/scalefit ] || swift build -c release
points=("${@:-100000 1000000}")
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
curve=../shared/data/lrcurves/mpl-25M/cosine_72000.csv
if [ -f "$curve" ]; then
  echo "== one real curve: $curve, multi-power, its cosine spec"
  /usr/bin/time -f "   %e s wall, %U s user + %S s sys, %M KB peak" .build/release/scalefit fit "$curve" --law multipower \
    --schedule "cosine:peak=3e-4,warmup=2160,total=72000,final=0.1" 2>&1 | grep -E "^(objective|converged|not converged|NOT SOUND|   )" | cut -c1-160
fi
for law in annealing multipower; do
  for n in ${points[@]}; do
    echo "== dense cosine log, $law, $n points"
    /usr/bin/time -f "   %e s wall, %U s user + %S s sys, %M KB peak" timeout 900 .build/release/scalefit-bench dense --law "$law" --points "$n" 2>&1 || true
  done
done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
