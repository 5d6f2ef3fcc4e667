#!/usr/bin/env bash
# A/B of WebKitGTK's renderer on one release kiosk (issue #19), in one run:
#   A = the GPU (DMA-BUF) path, as before `screens.gpu_renderer = auto` (forced here with
#       WEBKIT_DISABLE_DMABUF_RENDERER=0, which the kiosk leaves as it is);
#   B = what the kiosk now decides by itself on a machine without a GPU render node (Xvfb):
#       CPU drawing, no compositing.
# Each side: the scan bench (latency over 200 scans, its breakdown, PSS from start to N scans)
# and the start bench (launch to welcome painted, median of 10): scan bench A then B, then start
# bench A then B (B always runs second; not interleaved within a bench).
#
#   scripts/bench-renderer-ab.sh [SCANS]      # default 1000
#
# Needs what `scripts/setup.sh test` installs. Builds the release kiosk first (several minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
scans=${1:-1000}
# HADIR_KEEP_SYMBOLS=1 keeps the kiosk's symbols for profilers (same code). The kiosk's own
# profile table sets strip, so CARGO_PROFILE_RELEASE_STRIP does not reach it.
cargo build --release -p hadir-kiosk \
    ${HADIR_KEEP_SYMBOLS:+--config profile.release.package.hadir-kiosk.strip=false}
export HADIR_KIOSK_BIN=$PWD/target/release/hadir-kiosk HADIR_BENCH_SCANS=$scans
cargo bench -p hadir-e2e --no-run
side() {
    local label=$1 bench=$2
    shift 2
    echo "== $label, $bench (load: $(cut -d' ' -f1-3 /proc/loadavg))"
    env "$@" flock /tmp/hadir-e2e.lock xvfb-run -a -s "-screen 0 1280x1024x24" dbus-run-session -- \
        cargo bench -q -p hadir-e2e --bench "$bench" 2>&1 | grep -v '^\['
}
for bench in kiosk start; do
    side "A: GPU path (DMA-BUF, software GL here)" "$bench" WEBKIT_DISABLE_DMABUF_RENDERER=0
    side "B: gpu_renderer = auto (CPU, no compositing here)" "$bench" -u WEBKIT_DISABLE_DMABUF_RENDERER
done
echo "== done (load: $(cut -d' ' -f1-3 /proc/loadavg))"
