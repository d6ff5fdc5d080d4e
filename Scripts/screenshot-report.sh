#!/usr/bin/env bash
# Renders a scalefit report in a real browser: builds scalefit, writes
# `scalefit fit Data/runs.csv --report $OUT`, screenshots $OUT/index.html with headless
# Chromium (Debian's `chromium`, installed with apt-get when missing; needs root) and
# reports the console errors Chromium logs. Exit 1 when the screenshot is missing or the
# page logged an error. Look at the PNG before trusting the page.
#
#   Scripts/screenshot-report.sh [OUT_DIR] [PNG]    (defaults /tmp/scalefit-report /tmp/report.png)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-/tmp/scalefit-report}
PNG=${2:-/tmp/report.png}
LOG=$(mktemp /tmp/scalefit-chromium-XXXXXX.log)

if ! command -v chromium >/dev/null 2>&1; then
    echo "installing Debian's chromium…" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

swift build -c release --product scalefit >&2
rm -rf "$OUT" "$PNG"
.build/release/scalefit fit Data/runs.csv --report "$OUT" >/dev/null

# --virtual-time-budget lets the page (and its <img>) finish loading before the shot.
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --allow-file-access-from-files \
    --enable-logging=stderr --v=0 --run-all-compositor-stages-before-draw --virtual-time-budget=5000 \
    --screenshot="$PNG" --window-size=1200,1600 "file://$(cd "$OUT" && pwd)/index.html" 2>"$LOG" || true

status=0
if [ ! -s "$PNG" ]; then
    echo "no screenshot at $PNG; chromium said:" >&2
    cat "$LOG" >&2
    status=1
fi
# Page errors: uncaught exceptions, console errors, resources that failed to load.
errors=$(grep -E "Uncaught|ERROR:.*CONSOLE|CONSOLE.*(Error|ERROR)|net::ERR_|Failed to load|Not allowed to load" "$LOG" || true)
if [ -n "$errors" ]; then
    echo "console errors:" >&2
    echo "$errors" >&2
    status=1
else
    echo "console errors: none ($(wc -l <"$LOG") lines of chromium log in $LOG)"
fi
[ -s "$PNG" ] && echo "screenshot: $PNG ($(stat -c %s "$PNG") bytes) of $OUT/index.html"
exit $status
