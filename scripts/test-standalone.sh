#!/usr/bin/env bash
# Proves the repository stands alone: nothing in it points outside it, and the tests that read
# test data pass in a fresh clone with nothing beside it. scripts/test.sh runs this last; run it
# alone as `scripts/test-standalone.sh`.
#
# It clones the committed HEAD (CI tests a fresh clone, so HEAD is what CI tests); uncommitted
# changes are not in the clone. The clone builds into the repository's target dir, so only the
# workspace crates are compiled again, not their dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

echo "== standalone: no file points outside the repository"
# The sibling folder the test data and contracts once came from, by a relative path, as a
# quoted folder name joined in code, or by its subfolders' names. Code, data and docs, tracked
# and new files (target/ and other ignored files are not searched); this script names the
# pattern, so it is left out.
outside='(\.\./|["'\''])shared\b|shared/(testdata|contracts)'
if git grep --untracked -nIE "$outside" -- \
  '*.rs' '*.sh' '*.py' '*.toml' '*.js' '*.json' '*.md' '*.txt' 'Makefile' '*/Makefile' \
  ':(exclude)scripts/test-standalone.sh'; then
  echo "error: the lines above point outside the repository; the repository owns its test data" \
    "(crates/hadir/testdata/) and documents (docs/)" >&2
  exit 1
fi

echo "== standalone: the data-reading tests in a fresh clone of HEAD"
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
  echo "note: uncommitted changes are not part of this check (it tests the committed HEAD)"
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
git clone --quiet "$repo" "$scratch/hadir"
# Where the old paths pointed: beside the clone. It must not exist.
if [ -e "$scratch/shared" ]; then
  echo "error: $scratch/shared exists" >&2
  exit 1
fi
started=$(date +%s)
(
  cd "$scratch/hadir"
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"
  # The core (vectors, feed bodies, the generator's check, sync against the sample bodies, the
  # texts of ui/i18n against the verdict table of docs/booking-qr.md) and the admin CLI (import
  # and sync of the sample bodies), every test of both crates.
  cargo test --locked -p hadir -p hadir-cli --features hadir/camera
  # The end-to-end crate's test that needs no window: the Tauri feature check from a fresh clone.
  cargo test --locked -p hadir-e2e --test e2e -- safety::no_crate_enables_tauri_devtools
  # The fuzz seeds come from the repository's own data.
  python3 fuzz/seed.py
)
echo "== standalone: passed in $(($(date +%s) - started)) s"
