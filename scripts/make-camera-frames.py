#!/usr/bin/env python3
"""Writes the camera frame set (crates/hadir/testdata/camera/): grey webcam-like frames of booking
QR codes held to a 640x480 or 1280x720 camera (a phone screen or paper: perspective, rotation,
glare, defocus and motion blur, sensor noise, JPEG artefacts, low contrast, light-on-dark, round
modules, small and large codes) and idle frames with no code, plus frames.tsv (file, category,
expected text; empty for idle). Everything is drawn here from seeded random numbers, so the set is
ours to ship (CC0, see the folder's README.md).

Needs numpy, Pillow and segno: scripts/bench-camera.sh makes a venv under target/ with them.
Run: target/camera-bench-venv/bin/python scripts/make-camera-frames.py
A held-out set, the same kinds of frames drawn from other random numbers, for a check that the
decoder was not tuned to these 53 (BENCHMARKS.md): ... make-camera-frames.py --seed 20 --out DIR
"""
import argparse
import io
import json
from pathlib import Path

import numpy as np
import segno
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "crates" / "hadir" / "testdata" / "camera"
TOKENS = ROOT / "crates" / "hadir" / "testdata" / "booking-tokens.json"


def booking_texts():
    """Signed MPQ1 tokens and plain booking codes, as the kiosk reads them."""
    data = json.loads(TOKENS.read_text())
    signed = [c["input"] for c in data["cases"] if c["input"].startswith("MPQ1.") and c["verdict"] == "ok"]
    plain = [b["booking_code"] for b in data["cache"]]
    return signed, plain


def qr_modules(text):
    """The code's dark modules (True) and where its three finder patterns are (7x7 each)."""
    code = segno.make_qr(text, error="m", boost_error=False)
    matrix = np.array([[bool(v) for v in row] for row in code.matrix], dtype=bool)
    return matrix


def homography(src, dst):
    """3x3 matrix taking the four src points to the four dst points."""
    rows = []
    for (x, y), (u, v) in zip(src, dst):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y, -u])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y, -v])
    _, _, vt = np.linalg.svd(np.array(rows, dtype=float))
    return vt[-1].reshape(3, 3) / vt[-1][-1]


def gaussian_blur(img, sigma):
    if sigma <= 0:
        return img
    radius = int(3 * sigma + 1)
    xs = np.arange(-radius, radius + 1)
    kernel = np.exp(-(xs**2) / (2 * sigma * sigma))
    kernel /= kernel.sum()
    padded = np.pad(img, radius, mode="edge")
    rows = np.apply_along_axis(lambda r: np.convolve(r, kernel, mode="valid"), 1, padded)
    return np.apply_along_axis(lambda c: np.convolve(c, kernel, mode="valid"), 0, rows)


def motion_blur(img, length, angle_deg):
    """Averages `length` copies shifted along the motion (a hand moving the phone)."""
    if length <= 1:
        return img
    dx, dy = np.cos(np.radians(angle_deg)), np.sin(np.radians(angle_deg))
    acc = np.zeros_like(img)
    for i in range(length):
        t = i - (length - 1) / 2
        acc += np.roll(np.roll(img, int(round(t * dy)), axis=0), int(round(t * dx)), axis=1)
    return acc / length


def background(rng, w, h):
    """A desk or a counter behind the code: a lit gradient, a few objects, fine texture."""
    yy, xx = np.mgrid[0:h, 0:w].astype(float)
    base = rng.uniform(60, 170)
    img = base + rng.uniform(-40, 40) * xx / w + rng.uniform(-40, 40) * yy / h
    for _ in range(rng.integers(2, 6)):
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        rx, ry = rng.uniform(0.05, 0.3) * w, rng.uniform(0.05, 0.3) * h
        if rng.random() < 0.5:
            mask = ((xx - cx) / rx) ** 2 + ((yy - cy) / ry) ** 2 < 1
        else:
            mask = (abs(xx - cx) < rx) & (abs(yy - cy) < ry)
        img[mask] = rng.uniform(20, 230)
    img += rng.normal(0, rng.uniform(2, 8), (h, w))
    return gaussian_blur(img, rng.uniform(1.0, 3.0))


def draw_code(rng, img, matrix, *, module_px, angle, tilt, centre, dark, light, quiet, round_modules=False,
              bezel=None, inverted=False):
    """Draws the code on a card (paper or a phone screen) seen by the camera in perspective."""
    h, w = img.shape
    n = matrix.shape[0]
    lo, hi = -quiet, n + quiet
    side = (hi - lo) * module_px
    cx, cy = centre
    corners = []
    for ux, uy in [(-0.5, -0.5), (0.5, -0.5), (0.5, 0.5), (-0.5, 0.5)]:
        a = np.radians(angle)
        x = ux * side * np.cos(a) - uy * side * np.sin(a)
        y = ux * side * np.sin(a) + uy * side * np.cos(a)
        corners.append((cx + x + rng.uniform(-tilt, tilt) * side, cy + y + rng.uniform(-tilt, tilt) * side))
    to_card = homography(corners, [(lo, lo), (hi, lo), (hi, hi), (lo, hi)])
    bez = bezel or 0
    # Supersampled 3x3 per pixel, so edges are anti-aliased as a lens would.
    acc = np.zeros((h, w))
    covered = np.zeros((h, w))
    yy, xx = np.mgrid[0:h, 0:w].astype(float)
    for oy in (-1 / 3, 0, 1 / 3):
        for ox in (-1 / 3, 0, 1 / 3):
            px, py = xx + 0.5 + ox, yy + 0.5 + oy
            den = to_card[2, 0] * px + to_card[2, 1] * py + to_card[2, 2]
            u = (to_card[0, 0] * px + to_card[0, 1] * py + to_card[0, 2]) / den
            v = (to_card[1, 0] * px + to_card[1, 1] * py + to_card[1, 2]) / den
            on_card = (u >= lo - bez) & (u < hi + bez) & (v >= lo - bez) & (v < hi + bez)
            on_screen = (u >= lo) & (u < hi) & (v >= lo) & (v < hi)
            iu, iv = np.floor(u).astype(int), np.floor(v).astype(int)
            in_code = (iu >= 0) & (iu < n) & (iv >= 0) & (iv < n)
            mod = np.zeros((h, w), dtype=bool)
            mod[in_code] = matrix[iv[in_code], iu[in_code]]
            if round_modules:
                # Dots for data modules; the three finder patterns stay square-ish (as most
                # "designer" QR generators draw them) but with rounded corners.
                fu, fv = u - iu - 0.5, v - iv - 0.5
                finder = ((iu < 7) & (iv < 7)) | ((iu >= n - 7) & (iv < 7)) | ((iu < 7) & (iv >= n - 7))
                mod &= finder | (fu * fu + fv * fv < 0.42**2)
            value = np.where(mod, dark, light) if not inverted else np.where(mod, light, dark)
            if bezel:
                value = np.where(on_screen, value, 12.0)
            acc += np.where(on_card, value, 0)
            covered += on_card
    covered /= 9
    acc /= 9
    return img * (1 - covered) + acc


def finish(rng, img, *, blur=0.0, motion=0, glare=0.0, stripes=0.0, noise=3.0, jpeg=80, shade=0.2):
    """The camera's side: light, lens, motion, sensor noise; returns the frame as JPEG bytes."""
    h, w = img.shape
    yy, xx = np.mgrid[0:h, 0:w].astype(float)
    if stripes:
        # A phone screen filmed: moire bands.
        f = rng.uniform(0.15, 0.35)
        img = img + stripes * np.sin(f * yy + 0.3 * f * xx)
    if glare:
        gx, gy = rng.uniform(0.3, 0.7) * w, rng.uniform(0.3, 0.7) * h
        r = rng.uniform(0.06, 0.14) * w
        img = img + glare * np.exp(-((xx - gx) ** 2 + (yy - gy) ** 2) / (2 * r * r))
    # Uneven light and the lens' vignetting.
    vignette = 1 - shade * (((xx - w / 2) / w) ** 2 + ((yy - h / 2) / h) ** 2) * 2
    img = img * vignette
    img = gaussian_blur(img, blur)
    img = motion_blur(img, motion, rng.uniform(0, 180))
    img = img + rng.normal(0, noise, img.shape)
    img = np.clip(img, 0, 255).astype(np.uint8)
    # Webcams send MJPEG: the frame is kept as the JPEG the camera would have sent (which also
    # keeps the set small). Both decoders get the same pixels: the bench decodes each file once
    # (zune-jpeg) and hands zxing-cpp those very bytes.
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, "JPEG", quality=jpeg)
    return buf.getvalue()


def make_set(seed):
    signed, plain = booking_texts()
    rng = np.random.default_rng(seed)
    frames = []  # (name, category, text, image)

    def code_frame(category, text, size, *, draw, fin):
        w, h = size
        img = background(rng, w, h)
        matrix = qr_modules(text)
        # Off centre, but the whole card in the frame (a code cut by the frame's edge is the
        # applicant's to fix, not the decoder's).
        half = (matrix.shape[0] / 2 + draw["quiet"] + (draw.get("bezel") or 0)) * draw["module_px"] * 1.2
        slack_x, slack_y = max(0.0, w / 2 - half), max(0.0, h / 2 - half)
        centre = (w / 2 + rng.uniform(-1, 1) * min(slack_x, 0.12 * w), h / 2 + rng.uniform(-1, 1) * min(slack_y, 0.1 * h))
        img = draw_code(rng, img, matrix, centre=centre, **draw)
        frames.append((category, text, finish(rng, img, **fin)))

    def pick(i):
        return signed[i % len(signed)] if i % 3 != 2 else plain[i % len(plain)]

    vga, hd = (640, 480), (1280, 720)
    # Signed tokens are version 9-10 (53-57 modules): ~4-5 px a module fills ~260 px at 640x480.
    for i in range(5):  # a phone or a printout held still, slightly tilted
        code_frame("plain", pick(i), vga,
                   draw=dict(module_px=rng.uniform(4.2, 5.5), angle=rng.uniform(-8, 8), tilt=0.04,
                             dark=rng.uniform(15, 50), light=rng.uniform(190, 240), quiet=3,
                             bezel=2 if i % 2 else None),
                   fin=dict(blur=rng.uniform(0.6, 1.0), noise=rng.uniform(2, 5), jpeg=80))
    for i in range(5):  # turned in the hand, held at an angle
        code_frame("rotated", pick(i + 1), vga,
                   draw=dict(module_px=rng.uniform(4.0, 5.0), angle=[25, 60, 95, 150, 200][i], tilt=0.10,
                             dark=rng.uniform(20, 50), light=rng.uniform(190, 235), quiet=3),
                   fin=dict(blur=0.8, noise=3, jpeg=75))
    for i in range(5):  # a phone screen under the office lights: a glare patch and moire
        code_frame("glare", pick(i + 2), vga,
                   draw=dict(module_px=rng.uniform(4.2, 5.2), angle=rng.uniform(-15, 15), tilt=0.06,
                             dark=rng.uniform(25, 45), light=rng.uniform(170, 210), quiet=2, bezel=3),
                   fin=dict(blur=0.9, glare=rng.uniform(90, 150), stripes=rng.uniform(6, 14), noise=3, jpeg=70))
    for i in range(6):  # a 720p camera, the code held close and out of focus
        code_frame("blurry-full-size", pick(i + 3), hd,
                   draw=dict(module_px=rng.uniform(9.0, 11.5), angle=rng.uniform(-10, 10), tilt=0.05,
                             dark=rng.uniform(25, 50), light=rng.uniform(180, 225), quiet=3,
                             bezel=3 if i % 2 else None),
                   fin=dict(blur=rng.uniform(3.6, 4.6), motion=int(rng.integers(0, 6)), noise=rng.uniform(3, 6),
                            jpeg=70))
    for i in range(5):  # a dim room, a dull printout, a cheap sensor
        code_frame("low-contrast-noisy", pick(i + 4), vga,
                   draw=dict(module_px=rng.uniform(4.5, 5.5), angle=rng.uniform(-12, 12), tilt=0.05,
                             dark=rng.uniform(85, 105), light=rng.uniform(135, 160), quiet=3),
                   fin=dict(blur=1.0, noise=rng.uniform(6, 10), jpeg=int(rng.integers(35, 55)), shade=0.4))
    for i in range(6):  # a phone in dark mode: light modules on a dark screen
        code_frame("inverted", pick(i + 5), vga if i < 4 else hd,
                   draw=dict(module_px=rng.uniform(4.2, 5.2) * (1 if i < 4 else 1.8), angle=rng.uniform(-20, 20),
                             tilt=0.06, dark=rng.uniform(15, 40), light=rng.uniform(180, 230), quiet=2,
                             bezel=3, inverted=True),
                   fin=dict(blur=rng.uniform(0.7, 1.2), glare=60 if i == 2 else 0, noise=3, jpeg=75))
    for i in range(5):  # a "designer" code: dots instead of squares
        code_frame("round-modules", pick(i + 6), vga,
                   draw=dict(module_px=rng.uniform(4.5, 6.0), angle=rng.uniform(-15, 15), tilt=0.05,
                             dark=rng.uniform(20, 45), light=rng.uniform(190, 235), quiet=3, round_modules=True,
                             bezel=3 if i % 2 else None),
                   fin=dict(blur=rng.uniform(0.8, 1.3), noise=3, jpeg=75))
    for i in range(4):  # held far off: 2-3 px a module
        code_frame("small", pick(i + 7), vga,
                   draw=dict(module_px=rng.uniform(2.3, 3.0), angle=rng.uniform(-10, 10), tilt=0.04,
                             dark=rng.uniform(20, 45), light=rng.uniform(190, 235), quiet=3),
                   fin=dict(blur=0.6, noise=3, jpeg=80))
    for i in range(4):  # held against the lens: the code fills the frame
        code_frame("large", pick(i + 8), vga if i < 2 else hd,
                   draw=dict(module_px=(7.0 if i < 2 else 11.0) * rng.uniform(0.95, 1.05), angle=rng.uniform(-6, 6),
                             tilt=0.05, dark=rng.uniform(20, 45), light=rng.uniform(190, 235), quiet=2),
                   fin=dict(blur=1.2, noise=3, jpeg=75))
    for i in range(8):  # nobody at the kiosk: the counter, a hand, a sleeve, printed text
        w, h = vga if i < 6 else hd
        img = background(rng, w, h)
        if i in (2, 5):  # lines of printed text on a form held up (not a code)
            for row in range(10):
                y0 = int(h * 0.2 + row * h * 0.06)
                for word in range(int(rng.integers(4, 9))):
                    x0 = int(w * 0.15 + word * w * 0.09)
                    img[y0:y0 + 8, x0:x0 + int(rng.integers(20, 50))] = 40
        if i == 3:  # a checked shirt
            yy, xx = np.mgrid[0:h, 0:w]
            img = img * 0.6 + 60 * (((xx // 24) + (yy // 24)) % 2)
        frames.append(("idle", "", finish(rng, img, blur=1.0, noise=4, jpeg=75)))
    return frames


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=19, help="19 makes the repository's set")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    for old in list(out.glob("*.png")) + list(out.glob("*.jpg")):
        old.unlink()
    counts = {}
    rows = ["# file\tcategory\texpected text (empty: no code in the frame)"]
    for category, text, jpeg in make_set(args.seed):
        counts[category] = counts.get(category, 0) + 1
        name = f"{category}-{counts[category]:02d}.jpg"
        (out / name).write_bytes(jpeg)
        rows.append(f"{name}\t{category}\t{text}")
    (out / "frames.tsv").write_text("\n".join(rows) + "\n")
    print(f"{len(rows) - 1} frames in {out}")


if __name__ == "__main__":
    main()
