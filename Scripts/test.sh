#!/usr/bin/env bash
# Runs the whole test suite: installs what is missing, builds, and runs `swift test`, then
# checks that the fuzz target still builds (Scripts/fuzz-readers.sh --build-only), so a
# change to the library cannot silently break the fuzzing.
# The tests that read ../shared/data skip with a message when that folder is absent.
# Usage: Scripts/test.sh            (SCALEFIT_SKIP_FUZZ_BUILD=1 skips the fuzz build)
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/setup.sh
# The suite is XCTest; Swift Testing is off so the run closes on XCTest's own tally.
swift test --disable-swift-testing 2>&1
if [ "${SCALEFIT_SKIP_FUZZ_BUILD:-0}" != 1 ]; then
    Scripts/fuzz-readers.sh --build-only
fi
