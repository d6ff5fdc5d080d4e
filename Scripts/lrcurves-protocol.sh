#!/usr/bin/env bash
# The multi-power-law paper's protocol on the real curves of ../shared/data/lrcurves
# (PROVENANCE.md there): fit on cosine_24000, constant_24000 and wsdcon_9, predict the six
# other curves, for the 25M and 100M models, with the multi-power law and the annealing
# law. Each schedule is given as a spec rebuilt from the repository's definitions (linear
# warmup 0 → 3e-4 over 2160 steps), as the published parameters assume.
# Usage: Scripts/lrcurves-protocol.sh [multipower|annealing ...]   (after Scripts/setup.sh)
# SCALEFIT_PROTOCOL_FIT_RUNS=a,b fits other curves (e.g. constant_24000,wsd_20000_24000: a
# constant run and one cooldown) and scores the rest; SCALEFIT_PROTOCOL_CURVES=a,b,c keeps only
# those curves (e.g. the paper's three training curves, for a leave-one-schedule-out among them
# that never sees its test curves).
set -euo pipefail
cd "$(dirname "$0")/.."
data=../shared/data/lrcurves
[ -d "$data" ] || { echo "lrcurves-protocol: $data not found (the shared data sets sit beside the project)" >&2; exit 1; }
bin=.build/release/scalefit
[ -x "$bin" ] || swift build -c release --product scalefit
laws=("${@:-multipower annealing}")
fitruns=${SCALEFIT_PROTOCOL_FIT_RUNS:-cosine_24000,constant_24000,wsdcon_9}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
w=2160
schedules=(
  --schedule "constant_24000=constant:peak=3e-4,warmup=$w,total=24000"
  --schedule "constant_72000=constant:peak=3e-4,warmup=$w,total=72000"
  --schedule "cosine_24000=cosine:peak=3e-4,warmup=$w,total=24000,final=0.1"
  --schedule "cosine_72000=cosine:peak=3e-4,warmup=$w,total=72000,final=0.1"
  --schedule "wsd_20000_24000=wsd:peak=3e-4,warmup=$w,stable=17840,decay=4000,shape=geometric,final=0.1"
  --schedule "wsdld_20000_24000=wsd:peak=3e-4,warmup=$w,stable=17840,decay=4000,shape=linear,final=0.1"
  --schedule "wsdcon_3=multistage:warmup=$w,lr=3e-4/3e-5,until=8000/16000"
  --schedule "wsdcon_9=multistage:warmup=$w,lr=3e-4/9e-5,until=8000/16000"
  --schedule "wsdcon_18=multistage:warmup=$w,lr=3e-4/1.8e-4,until=8000/16000"
)
keep=",${SCALEFIT_PROTOCOL_CURVES:-},"
if [ "$keep" != ",," ]; then
  kept=()
  for ((i = 0; i < ${#schedules[@]}; i += 2)); do
    name=${schedules[i+1]%%=*}
    [[ "$keep" == *",$name,"* ]] && kept+=("${schedules[i]}" "${schedules[i+1]}")
  done
  schedules=("${kept[@]}")
fi
for model in 25M 100M; do
  csv="$tmp/curves-$model.csv"
  echo "run,step,lr,loss" > "$csv"
  for f in "$data/mpl-$model"/*.csv; do
    name=$(basename "$f" .csv)
    [ "$keep" = ",," ] || [[ "$keep" == *",$name,"* ]] || continue
    tail -n +2 "$f" | sed "s/^/$name,/" >> "$csv"
  done
  for law in ${laws[@]}; do
    echo "== $model, $law law: fit on ${fitruns//,/, }; score the rest"
    /usr/bin/time -f "   (%e s wall)" "$bin" backtest "$csv" --law "$law" \
      --fit-runs "$fitruns" "${schedules[@]}" ${SCALEFIT_PROTOCOL_ARGS:-} 2>&1 | grep -v '^curve \|^columns:'
  done
done
