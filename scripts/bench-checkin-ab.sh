#!/usr/bin/env bash
# A/B of the check-in core and the ESC/POS render (issue #19), interleaved in one run so that
# load from other programs hits both sides alike. Prints every table and the load averages.
#
#   scripts/bench-checkin-ab.sh [BASE] [RUNS]
#
# BASE: the commit before the change (default below); RUNS: rounds of A then B (default 3).
# A is BASE's library with this tree's bench (`crates/hadir/benches/checkin*`), less the one
# call BASE's store does not have (`prepare_next_checkin`, the work done after the print), so
# both sides time the same calls the same way. Builds A in a git worktree under /tmp with its
# own target folder, and removes both at the end (A_TARGET=<folder>: that target folder
# instead, kept for the next run).
set -euo pipefail

base=${1:-41210b3c9e5647d27464cb26e8c929d5667fec7e}
runs=${2:-3}
root=$(git rev-parse --show-toplevel)
a_tree=$(mktemp -d /tmp/hadir-checkin-a.XXXXXX)
a_target=${A_TARGET:-$a_tree-target}
cleanup() {
    git -C "$root" worktree remove --force "$a_tree" 2>/dev/null || rm -rf "$a_tree"
    [ -n "${A_TARGET:-}" ] || rm -rf "$a_target"
}
trap cleanup EXIT

git -C "$root" worktree add --quiet --detach "$a_tree" "$base"
mkdir -p "$a_tree/crates/hadir/benches/checkin"
grep -v 'store.prepare_next_checkin(now.date())' "$root/crates/hadir/benches/checkin.rs" \
    >"$a_tree/crates/hadir/benches/checkin.rs"
sed -e 's/^const WORK_AHEAD: bool = true;/const WORK_AHEAD: bool = false;/' \
    -e 's/store.prepare_next_checkin(date).expect("work ahead");/let _ = (store, date);/' \
    "$root/crates/hadir/benches/checkin/breakdown.rs" \
    >"$a_tree/crates/hadir/benches/checkin/breakdown.rs"

bench_binary() { # tree target -> path of the built bench
    (cd "$1" && CARGO_TARGET_DIR="$2" cargo bench -p hadir --bench checkin --no-run \
        --message-format=json 2>/dev/null) |
        python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "checkin" and m.get("executable"):
        print(m["executable"])'
}
a_bin=$(bench_binary "$a_tree" "$a_target")
b_bin=$(bench_binary "$root" "${CARGO_TARGET_DIR:-$root/target}")
echo "A: $base ($a_bin)"
echo "B: $(git -C "$root" rev-parse HEAD) + working tree ($b_bin)"

for round in $(seq 1 "$runs"); do
    for side in A B; do
        bin=$a_bin
        [ "$side" = B ] && bin=$b_bin
        echo
        echo "### round $round, $side ($(uptime | sed 's/.*load/load/'))"
        "$bin"
    done
done
for side in A B; do
    bin=$a_bin
    [ "$side" = B ] && bin=$b_bin
    echo
    echo "### breakdown, $side ($(uptime | sed 's/.*load/load/'))"
    "$bin" --breakdown 2>/dev/null
done
