#!/usr/bin/env bash
# Makes sure Debian's chromium is at /usr/bin/chromium (used by the docs browser test).
# Idempotent and quiet on success; needs root (CI runs as root). Playwright cannot download browsers here.
set -euo pipefail
[ -x /usr/bin/chromium ] && exit 0
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! { apt-get update -qq && apt-get install -y -qq chromium; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "ensure-chromium: installing chromium failed" >&2
  exit 1
fi
[ -x /usr/bin/chromium ] || { echo "ensure-chromium: /usr/bin/chromium still missing after install" >&2; exit 1; }
