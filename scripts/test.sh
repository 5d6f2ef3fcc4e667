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
echo "== build (the kiosk binary the end-to-end tests start)"
cargo build --workspace
echo "== package (the .deb an office installs; tests/e2e/installed.rs installs and drives it)"
# HADIR_PACKAGE_FAST: the release build without LTO, to keep a cold CI run short.
package_log=$(mktemp)
HADIR_PACKAGE_FAST=1 scripts/package.sh | tee "$package_log"
HADIR_PACKAGE_DEB=$(tail -n 1 "$package_log")
export HADIR_PACKAGE_DEB
rm -f "$package_log"
echo "== unit, integration and end-to-end tests (real window under Xvfb)"
# One cargo invocation for the whole workspace, so shared crates are built once with one
# feature set. Xvfb gives the kiosk window a display; a private session bus lets WebKit's
# accessibility bus behave as on a desktop (and gives the one-kiosk test its "with D-Bus" case).
xvfb-run -a -s "-screen 0 1920x1920x24" dbus-run-session -- cargo test --workspace
# Last: nothing points outside the repository, and the data-reading tests pass in a fresh clone
# of HEAD with nothing beside it (issue #14). Also runs alone: scripts/test-standalone.sh.
scripts/test-standalone.sh
