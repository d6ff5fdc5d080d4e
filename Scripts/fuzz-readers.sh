#!/usr/bin/env bash
# Fuzzes scalefit's parsers with libFuzzer: the readers (every RunTable format, then the
# loss curves), the fit-file decoder, the schedule-spec parser, the formula parser and the
# command-line parser (Scripts/fuzz/ScaleFitFuzzTarget.swift; SCALEFIT_FUZZ_TARGET picks one).
#
# Builds Sources/ScaleFit and Sources/ScaleFitCLI as two static modules for testing, then the
# target against them, straight through `swiftc -sanitize=fuzzer,address` (the module map of
# Sources/CLapack for LAPACK), then runs
# each target from its seed corpus (Scripts/fuzz/corpus/TARGET, copied to .build/fuzz so the
# repository's seeds stay as they are) with the dictionary Scripts/fuzz/scalefit.dict, inputs
# up to 64 KB, a 10 s per-input timeout (a hang is a finding) and a 2 GB RSS limit (an
# unbounded allocation is a finding). Findings go to .build/fuzz/TARGET/crash-*, timeout-*,
# oom-*, leak-*; the script exits non-zero if there is any.
#
# Usage: Scripts/fuzz-readers.sh [RUNS [TARGET…]]   RUNS per target (default 10^6);
#        FUZZ_SECONDS=300 Scripts/fuzz-readers.sh …   also stop each target after 300 s;
#        Scripts/fuzz-readers.sh --build-only         (what the test suite checks)
set -euo pipefail
cd "$(dirname "$0")/.."
out=.build/fuzz
mkdir -p "$out"
build_only=0
if [ "${1:-}" = "--build-only" ]; then build_only=1; shift; fi
runs="${1:-1000000}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(readers fitfile schedule formula arguments)

mapfile -t library < <(find Sources/ScaleFit -name '*.swift' | sort)
mapfile -t cli < <(find Sources/ScaleFitCLI -name '*.swift' | sort)
sources=("${library[@]}" "${cli[@]}" Scripts/fuzz/ScaleFitFuzzTarget.swift)
# The build (the whole library under ASan, ~4 min on 2 cores) is kept while no source is newer.
if [ -x "$out/scalefit-fuzzer" ] && [ -z "$(find "${sources[@]}" -newer "$out/scalefit-fuzzer" | head -1)" ]; then
    echo "the fuzz target is up to date" >&2
else
rm -f "$out/scalefit-fuzzer"
echo "building the fuzz target (${#sources[@]} files)…" >&2
mods="$out/modules"
mkdir -p "$mods"
# (-suppress-warnings: the library's own build shows them; here they would repeat per batch.)
flags=(-O -sanitize=fuzzer,address -parse-as-library -package-name scalefit -enable-testing -suppress-warnings -I "$mods")
# (ld.gold warns about every ASan check symbol it cannot export; those lines are noise.)
{
    swiftc "${flags[@]}" -module-name ScaleFit -I Sources/CLapack "${library[@]}" -emit-module \
        -emit-module-path "$mods/ScaleFit.swiftmodule" -emit-library -static -o "$mods/libScaleFit.a" &&
    swiftc "${flags[@]}" -module-name ScaleFitCLI "${cli[@]}" -emit-module \
        -emit-module-path "$mods/ScaleFitCLI.swiftmodule" -emit-library -static -o "$mods/libScaleFitCLI.a" &&
    swiftc "${flags[@]}" -module-name ScaleFitFuzz Scripts/fuzz/ScaleFitFuzzTarget.swift \
        "$mods/libScaleFitCLI.a" "$mods/libScaleFit.a" -llapacke -llapack -lblas -o "$out/scalefit-fuzzer"
} 2>&1 | { grep -v "Cannot export local symbol" || true; } >&2
fi
[ -x "$out/scalefit-fuzzer" ] || { echo "fuzz-readers: the build failed" >&2; exit 1; }
[ "$build_only" -eq 0 ] || { echo "fuzz-readers: built $out/scalefit-fuzzer" >&2; exit 0; }

# Swift's own crash backtracer fights ASan for the dying process; let libFuzzer report instead.
export SWIFT_BACKTRACE=enable=no
failed=0
for target in "${targets[@]}"; do
    dir="$out/$target"
    mkdir -p "$dir/corpus"
    cp -n Scripts/fuzz/corpus/"$target"/* "$dir/corpus/" 2>/dev/null || true
    rm -f "$dir"/crash-* "$dir"/timeout-* "$dir"/leak-* "$dir"/oom-*
    start=$(date +%s)
    status=0
    (cd "$dir" && SCALEFIT_FUZZ_TARGET="$target" ../scalefit-fuzzer -runs="$runs" -max_total_time="${FUZZ_SECONDS:-0}" -timeout=10 -rss_limit_mb=2048 \
        -max_len=65536 -dict=../../../Scripts/fuzz/scalefit.dict -print_final_stats=1 corpus) 2> "$dir/fuzz.log" || status=$?
    end=$(date +%s)
    executed=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/fuzz.log" | tail -1)
    findings=$(ls "$dir" | grep -cE '^(crash|timeout|leak|oom)-' || true)
    grep -E "ERROR|SUMMARY" "$dir/fuzz.log" >&2 || true
    echo "fuzz $target: ${executed:-?} executions, $findings findings, $((end - start)) s, exit $status (log: $dir/fuzz.log)" >&2
    [ "$status" -eq 0 ] && [ "$findings" -eq 0 ] || failed=1
done
exit "$failed"
