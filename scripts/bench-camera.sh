#!/usr/bin/env bash
# Camera decoding vs zxing-cpp (issue #19): the whole table of BENCHMARKS.md in one command.
# Makes a venv under target/ with PyPI's zxing-cpp, then runs benches/camera.rs, which decodes the
# frame set (testdata/camera) once to grey, hands zxing-cpp those very pixels (as PGM) and times
# rxing before/after (interleaved) between two zxing-cpp passes.
# Usage: scripts/bench-camera.sh [REPS]   (default 15 a frame and decoder)
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/camera-bench-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q zxing-cpp numpy
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
cargo bench -q -p hadir --features camera --bench camera -- --reps "${1:-15}" --zxing-python "$PWD/$venv/bin/python"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
