#!/usr/bin/env bash
# Installs what scalefit needs on a fresh Debian machine (LAPACKE through apt, when
# its header is missing) and builds the release binaries.
# Usage: Scripts/setup.sh            (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f /usr/include/lapacke.h ]; then
    echo "setup: lapacke.h not found; installing liblapacke-dev with apt" >&2
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq liblapacke-dev >&2
fi

swift build -c release >&2
