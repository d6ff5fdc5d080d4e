#!/usr/bin/env bash
# Runs the whole test suite: installs what is missing, builds, and runs `swift test`.
# The tests that read ../shared/data skip with a message when that folder is absent.
# Usage: Scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/setup.sh
# The suite is XCTest; Swift Testing is off so the run closes on XCTest's own tally.
swift test --disable-swift-testing 2>&1
