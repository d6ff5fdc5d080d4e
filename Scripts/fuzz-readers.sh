#!/usr/bin/env bash
# Fuzzes the CSV, W&B, JSON Lines and trainer_state readers with libFuzzer.
#
# Builds Scripts/fuzz/ReadersFuzzTarget.swift with the sources of Sources/ScaleFit/Readers
# and Sources/ScaleFit/API/ScaleFitError.swift straight through `swiftc -sanitize=fuzzer`
# (plus AddressSanitizer, since the readers use unchecked buffer pointers in release), seeds
# a corpus with small valid files of each format, and runs RUNS inputs (default 10^6) with a
# 10 s per-input timeout, so a hang counts as a finding. Crashing inputs are written to
# .build/fuzz/ as crash-*/timeout-*; the script exits non-zero if there is any.
#
# Usage: Scripts/fuzz-readers.sh [RUNS]      e.g. Scripts/fuzz-readers.sh 1000000
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-1000000}"
out=.build/fuzz
rm -f "$out/readers-fuzzer"
mkdir -p "$out/corpus"

sources=(Sources/ScaleFit/Readers/*.swift Sources/ScaleFit/API/ScaleFitError.swift Scripts/fuzz/ReadersFuzzTarget.swift)
echo "building the fuzz target (${#sources[@]} files)…" >&2
# (ld.gold warns about every ASan check symbol it cannot export; those lines are noise.)
swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name ScaleFitFuzz \
    "${sources[@]}" -o "$out/readers-fuzzer" 2>&1 | { grep -v "Cannot export local symbol" || true; } >&2
[ -x "$out/readers-fuzzer" ] || { echo "fuzz-readers: the build failed" >&2; exit 1; }

# Seed corpus: one small valid file of each kind.
printf 'step,lr,loss\n1,3e-4,4.1\n2,3e-4,\n3,2e-4,nan\n' > "$out/corpus/curve.csv"
printf '\xef\xbb\xbf# c\r\nname,"N",loss\r\n"a,""q""\nb",70M,1.3B\r\n\r\nx,1.4T,inf\n' > "$out/corpus/quoted.csv"
printf 'Step,"a - loss","a - loss__MIN","b - loss"\n1,2,1,3\n2,,,2.5\n' > "$out/corpus/wandb.csv"
printf '{"step": 1, "loss": 3.5, "eval": {"loss": [1, 2e5, null]}, "ok": true}\n{"run": "a\\u00e9\\""}\n' > "$out/corpus/log.jsonl"
printf '{"log_history": [{"loss": 2.3, "step": 10}, {"eval_loss": NaN, "step": -Infinity}], "x": {}}' > "$out/corpus/trainer_state.json"

echo "running $runs inputs…" >&2
rm -f "$out"/crash-* "$out"/timeout-* "$out"/leak-* "$out"/oom-*
# Swift's own crash backtracer fights ASan for the dying process; let libFuzzer report instead.
export SWIFT_BACKTRACE=enable=no
start=$(date +%s)
status=0
(cd "$out" && ./readers-fuzzer -runs="$runs" -timeout=10 -max_len=4096 -print_final_stats=1 corpus) \
    2> "$out/fuzz.log" || status=$?
end=$(date +%s)
grep -E "^#[0-9]+ +DONE|Done [0-9]+ runs|stat::number_of_executed_units|stat::peak_rss_mb|ERROR|SUMMARY" "$out/fuzz.log" >&2 || true
crashes=$(ls "$out" | grep -cE '^(crash|timeout|leak|oom)-' || true)
echo "fuzz-readers: $runs inputs, $crashes crashing inputs, $((end - start)) s, exit $status (log: $out/fuzz.log)" >&2
[ "$status" -eq 0 ] && [ "$crashes" -eq 0 ]
