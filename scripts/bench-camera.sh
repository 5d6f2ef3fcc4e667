#!/usr/bin/env bash
# Camera decoding vs zxing-cpp (issue #19): the whole table of BENCHMARKS.md in one command.
# Makes a venv under target/ with PyPI's zxing-cpp, then runs benches/camera.rs, which decodes the
# frame set (testdata/camera) once to grey, hands zxing-cpp those very pixels (as PGM) and times
# rxing before/after (interleaved) between two zxing-cpp passes.
# Usage: scripts/bench-camera.sh [REPS] [SET_DIR]   (default 15 a frame and decoder; the set in
# crates/hadir/testdata/camera, or a held-out one: scripts/make-camera-frames.py --seed N --out DIR)
set -euo pipefail
set_args=()
if [ -n "${2:-}" ]; then
  set_args=(--set "$(cd "$2" && pwd)")
fi
cd "$(dirname "$0")/.."
venv=target/camera-bench-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
# Pillow and segno: for scripts/make-camera-frames.py (held-out sets).
"$venv/bin/pip" install -q zxing-cpp numpy pillow segno
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
cargo bench -q -p hadir --features camera --bench camera -- --reps "${1:-15}" --zxing-python "$PWD/$venv/bin/python" ${set_args[@]+"${set_args[@]}"}
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
