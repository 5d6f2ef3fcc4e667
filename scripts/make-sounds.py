#!/usr/bin/env python3
"""Writes the kiosk's two short cues (ui/sounds/*.wav): made here from sine tones, so they are
ours to ship (CC0). Run again only to change them: python3 scripts/make-sounds.py"""
import math
import struct
import wave
from pathlib import Path

RATE = 22050
OUT = Path(__file__).resolve().parent.parent / "ui" / "sounds"


def tone(freq, seconds, volume=0.5):
    count = int(RATE * seconds)
    fade = int(RATE * 0.01)
    for i in range(count):
        envelope = min(1.0, i / fade, (count - i) / fade)
        yield volume * envelope * math.sin(2 * math.pi * freq * i / RATE)


def write(name, notes):
    samples = [s for freq, seconds in notes for s in (tone(freq, seconds) if freq else [0.0] * int(RATE * seconds))]
    with wave.open(str(OUT / name), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(b"".join(struct.pack("<h", int(s * 32767)) for s in samples))


OUT.mkdir(parents=True, exist_ok=True)
write("ok.wav", [(660, 0.12), (0, 0.03), (880, 0.18)])        # rising: done
write("refusal.wav", [(440, 0.18), (0, 0.05), (330, 0.25)])   # falling: look at the screen
