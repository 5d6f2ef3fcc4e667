#!/usr/bin/env bash
# Makes the upgrade fixture of the current schema: crates/hadir/tests/data/upgrade/schema-<N>.sqlite3
# (one self-contained SQLite file) and schema-<N>.json (its manifest: every row, the audit head).
# `cargo test -p hadir --test upgrade` opens every such fixture with the current code and checks
# that nothing was lost. Run this whenever a migration is added, with the code of that commit,
# BEFORE the next schema change: the fixture must be written by the version that shipped.
#
# It drives the `hadir` CLI (demo day, check-ins, staff accounts, audit check) on a temporary
# data folder with a fixed clock and no upstream, so the outbox stays unsent; the little example
# crates/hadir/examples/upgrade_fixture.rs adds what the CLI cannot (ratings, a reprint, staff
# check-ins, a kiosk setting) through the core's public API, then freezes the store.
#
#   scripts/make-upgrade-fixture.sh            # refuses to replace an existing fixture
#   FORCE=1 scripts/make-upgrade-fixture.sh    # replace it (same schema, e.g. more rows)
#   OUT_DIR=/elsewhere scripts/make-upgrade-fixture.sh
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
out_dir="${OUT_DIR:-$repo/crates/hadir/tests/data/upgrade}"
# A Monday, 09:45 WITA: the demo day then has slots already closed and slots about to open.
at="${AT:-2026-11-30T09:45:00+08:00}"
frontdesk=maria frontdesk_pin=482915
supervisor=sari supervisor_pin=739204

cargo build -q -p hadir-cli --bin hadir
cargo build -q -p hadir --example upgrade_fixture
target_dir="${CARGO_TARGET_DIR:-$repo/target}"
hadir="$target_dir/debug/hadir"
helper="$target_dir/debug/examples/upgrade_fixture"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
config="$work/hadir.toml"
# Defaults everywhere else: office KANIM-KUPANG, Asia/Makassar, tickets as PDFs in the data folder.
cat >"$config" <<EOF
[kiosk]
data_dir = "$work/data"
EOF
cli() { "$hadir" --config "$config" --at "$at" "$@"; }

cli demo --json >"$work/try.json"
# The "try now" codes the demo promises an "ok" for, in order (pretty JSON: code line, then expect).
mapfile -t codes < <(awk -F'"' '/"booking_code"/ {code = $4} /"expect": "ok"/ {print code}' "$work/try.json")
if [ "${#codes[@]}" -lt 3 ]; then
  echo "make-upgrade-fixture: expected at least 3 demo codes to check in, got ${#codes[@]}" >&2
  exit 1
fi
for code in "${codes[@]}"; do
  cli checkin "$code" >/dev/null
done
# Priority walk-ins without a booking (schema 8): numbers in the priority lane, walkin events.
cli walkin issue lansia baru >/dev/null
cli walkin issue anak penggantian >/dev/null
# Tomorrow's list from a USB stick: a cursor, a revoked code and the import fact get stored too.
cat >"$work/tomorrow.json" <<'EOF'
{"office": "KANIM-KUPANG", "date": "2026-12-01", "full": true, "cursor": "c-fixture-0001",
 "appointments": [{"booking_code": "MPFIXTURE01", "date": "2026-12-01", "slot_start": "08:00",
   "slot_end": "09:00", "service": "baru", "express": false, "status": "booked",
   "applicants": [{"name": "YULIANA BESI", "birth_date": "1988-03-14", "nik_last4": "4417",
     "priority": "disabilitas"}], "updated_at": "2026-11-30T07:00:00+08:00"}],
 "revoked": ["MPREVOKED01"]}
EOF
cli import "$work/tomorrow.json" >/dev/null
printf '%s\n' "$frontdesk_pin" | cli staff add "$frontdesk" --role frontdesk
printf '%s\n' "$supervisor_pin" | cli staff add "$supervisor" --role supervisor
printf '%s\n%s\n' "$frontdesk_pin" "$supervisor_pin" |
  "$helper" record "$config" "$at" "$frontdesk" "$supervisor" "${codes[0]}" "${codes[1]}"
cli audit verify >/dev/null

commit="$(git rev-parse HEAD)"
# The store is written by the core and the CLI: say so when their sources differ from the commit.
if [ -n "$(git status --porcelain -- crates/hadir/src crates/hadir-cli/src)" ]; then
  commit="$commit+uncommitted"
fi
"$helper" freeze "$work/data/hadir.sqlite3" "$work/frozen" "$commit" "$at"
for file in "$work"/frozen/*; do
  name="$(basename "$file")"
  if [ -e "$out_dir/$name" ] && [ -z "${FORCE:-}" ]; then
    echo "make-upgrade-fixture: $out_dir/$name exists (a fixture per schema version); FORCE=1 replaces it" >&2
    exit 1
  fi
done
mkdir -p "$out_dir"
cp "$work"/frozen/* "$out_dir"/
ls -l "$out_dir"
