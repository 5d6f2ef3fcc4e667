#!/usr/bin/env bash
# Every check CI runs, in the order a failure is cheapest to find.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

scripts/setup.sh test

echo "== fmt"
cargo fmt --all -- --check
echo "== clippy"
cargo clippy --workspace --all-targets -- -D warnings
echo "== unit and integration tests"
cargo test --workspace --exclude hadir-e2e
echo "== end-to-end tests (real window under Xvfb)"
cargo build -p hadir-kiosk
# A private session bus, so the single-instance plugin and WebKit behave as on a desktop.
xvfb-run -a -s "-screen 0 1280x1024x24" dbus-run-session -- cargo test -p hadir-e2e
