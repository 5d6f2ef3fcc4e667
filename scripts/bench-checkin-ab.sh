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
    rm -f "$a_tree.log"
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

log="$a_tree.log"
exec > >(tee "$log")
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

echo
echo "### medians of the $runs rounds (p99 of each round, A then B)"
python3 - "$log" <<'PY'
import re, sys, statistics
rows = {}  # (case,size) -> side -> [(p50,p99)]
order = []
side = None
for line in open(sys.argv[1]):
    m = re.match(r"### round \d+, ([AB])", line)
    if m:
        side = m.group(1); continue
    if line.startswith("### breakdown"):
        side = None; continue
    if side and line.startswith("| ") and " ms |" in line:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        key = (cells[0], cells[1])
        if key not in order:
            order.append(key)
        ms = lambda c: float(c.split()[0])
        rows.setdefault(key, {}).setdefault(side, []).append((ms(cells[2]), ms(cells[3])))
print("| case | cached bookings | A p50 | B p50 | A p99 (each round) | B p99 (each round) | A p99 median | B p99 median |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for key in order:
    a = rows[key].get("A", []); b = rows[key].get("B", [])
    if key[0].startswith("after print") and all(p == (0.0, 0.0) for p in a):
        a_cells = ["-", "(none)", "-"]
    else:
        a_cells = [f"{statistics.median(x[0] for x in a):.3f} ms",
                   " / ".join(f"{x[1]:.2f}" for x in a),
                   f"{statistics.median(x[1] for x in a):.3f} ms"]
    b_cells = [f"{statistics.median(x[0] for x in b):.3f} ms",
               " / ".join(f"{x[1]:.2f}" for x in b),
               f"{statistics.median(x[1] for x in b):.3f} ms"]
    print(f"| {key[0].strip()} | {key[1]} | {a_cells[0]} | {b_cells[0]} | {a_cells[1]} | {b_cells[1]} | {a_cells[2]} | {b_cells[2]} |")
PY
