#!/usr/bin/env python3
"""zxing-cpp (PyPI zxing-cpp, its Python binding) on the camera frame set, as the reference for
benches/camera.rs: reads the grey frames the Rust bench wrote as PGM (the very pixels rxing gets)
and writes `name \t text read \t ms,ms,...` for each frame. Run by benches/camera.rs (see
scripts/bench-camera.sh), not by hand. zxing-cpp runs with its defaults
(try rotate, try downscale, try invert, local average binarizer), QR codes only.

Usage: zxing-camera-bench.py FRAMES_TSV PGM_DIR REPS OUT_TSV [OUT_TSV of an earlier pass to add to]
"""
import sys
import time
from pathlib import Path

import numpy as np
import zxingcpp


def read_pgm(path):
    data = path.read_bytes()
    fields, at = [], 0
    while len(fields) < 4:
        while data[at:at + 1].isspace():
            at += 1
        start = at
        while not data[at:at + 1].isspace():
            at += 1
        fields.append(data[start:at].decode())
    width, height = int(fields[1]), int(fields[2])
    return np.frombuffer(data, dtype=np.uint8, count=width * height, offset=at + 1).reshape(height, width)


def main():
    frames_tsv, pgm_dir, reps, out = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])
    earlier = {}
    if len(sys.argv) > 5 and Path(sys.argv[5]).exists():
        for line in Path(sys.argv[5]).read_text().splitlines():
            name, text, times = line.split("\t")
            earlier[name] = (text, times.split(","))
    names = [line.split("\t")[0] for line in frames_tsv.read_text().splitlines() if not line.startswith("#") and line]
    images = {name: read_pgm(pgm_dir / f"{name}.pgm") for name in names}
    qr = zxingcpp.BarcodeFormat.QRCode
    for image in images.values():  # warm-up
        zxingcpp.read_barcodes(image, formats=qr)
    texts = {}
    times = {name: [] for name in names}
    for _ in range(reps):
        for name, image in images.items():
            started = time.perf_counter()
            found = zxingcpp.read_barcodes(image, formats=qr)
            times[name].append((time.perf_counter() - started) * 1000)
            texts.setdefault(name, found[0].text if found else "")
    with out.open("w") as sink:
        for name in names:
            samples = [f"{t:.4f}" for t in times[name]] + earlier.get(name, ("", []))[1]
            sink.write(f"{name}\t{texts[name]}\t{','.join(samples)}\n")


if __name__ == "__main__":
    main()
