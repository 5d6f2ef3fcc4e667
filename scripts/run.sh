#!/usr/bin/env bash
# Installs what is missing, builds, and starts the kiosk on the embedded demo day (see README).
# Extra arguments go to the kiosk, e.g. `scripts/run.sh --config my.toml`.
# `scripts/run.sh office`: the whole office on one machine instead (a throwaway office hub on
# PostgreSQL, a kiosk, a counter and a waiting-room display; crates/office-demo).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
purpose=run
if [ "${1:-}" = "office" ]; then
  purpose=office
  shift
fi
scripts/setup.sh "$purpose"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "run: no display found (DISPLAY and WAYLAND_DISPLAY are empty)." >&2
  echo "run: on a desktop, run 'scripts/run.sh' there. Headless, use a virtual display:" >&2
  echo "       xvfb-run -a -s '-screen 0 1280x1024x24' scripts/run.sh" >&2
  exit 1
fi
if [ "$purpose" = "office" ]; then
  cargo build -p hadir-kiosk
  exec cargo run -p office-demo --bin hadir-office-demo -- "$@"
fi
exec cargo run -p hadir-kiosk -- --demo "$@"
