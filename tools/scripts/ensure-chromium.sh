#!/usr/bin/env bash
# Installs Debian's chromium for the console's browser tests when it is missing (idempotent; nothing downloads a
# browser from elsewhere: playwright-core drives this binary through its executable path).
set -euo pipefail
BIN="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [[ -x "$BIN" ]]; then echo "[chromium] $("$BIN" --version 2>/dev/null | head -1)" >&2; exit 0; fi
if ! command -v apt-get >/dev/null; then echo "[chromium] $BIN is missing and apt-get is not available: install Chromium and set CHROMIUM_PATH" >&2; exit 1; fi
SUDO=""; [[ "$(id -u)" != 0 ]] && SUDO="sudo"
echo "[chromium] installing Debian's chromium (apt-get)" >&2
$SUDO apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >&2
"$BIN" --version >&2
