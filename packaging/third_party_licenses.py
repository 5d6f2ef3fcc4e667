#!/usr/bin/env python3
"""Writes the licence notice shipped in the package: Hadir's own licences, the fonts' licence, and
every crate compiled into the two shipped programs (hadir-kiosk, hadir) with its licence, taken
from `cargo metadata` for the target platform (build-time and test-only crates are left out).

Usage: packaging/third_party_licenses.py OUT_FILE [TARGET_TRIPLE]
"""
import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHIPPED = ("hadir-kiosk", "hadir-cli")


def host_triple() -> str:
    out = subprocess.run(["rustc", "-vV"], check=True, capture_output=True, text=True).stdout
    return next(line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("host: "))


def shipped_packages(metadata: dict) -> list:
    """Packages reachable from the shipped programs through normal (run-time) dependencies."""
    nodes = {node["id"]: node for node in metadata["resolve"]["nodes"]}
    packages = {package["id"]: package for package in metadata["packages"]}
    todo = [pid for pid, package in packages.items() if package["name"] in SHIPPED]
    seen = set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        for dep in nodes[pid]["deps"]:
            if any(kind["kind"] is None for kind in dep["dep_kinds"]):
                todo.append(dep["pkg"])
    return sorted((packages[pid] for pid in seen), key=lambda p: (p["name"], p["version"]))


def main() -> None:
    out_file = pathlib.Path(sys.argv[1])
    triple = sys.argv[2] if len(sys.argv) > 2 else host_triple()
    metadata = json.loads(subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--locked", "--filter-platform", triple,
         "--manifest-path", str(ROOT / "Cargo.toml")],
        check=True, capture_output=True, text=True).stdout)
    lines = [
        "Hadir licence notices",
        "=====================",
        "",
        "Hadir is licensed under MIT OR Apache-2.0 (texts below).",
        "The ticket and screen font is DejaVu Sans (licence below).",
        f"The programs contain these Rust crates (for {triple}); each keeps its own licence:",
        "",
    ]
    for package in shipped_packages(metadata):
        if package["source"] is None:
            continue  # Hadir's own crates
        licence = package.get("license") or f"see {package.get('license_file') or 'the crate'}"
        where = package.get("repository") or ""
        lines.append(f"  {package['name']} {package['version']}: {licence}  {where}".rstrip())
    for title, path in (("LICENSE-MIT", "LICENSE-MIT"), ("LICENSE-APACHE", "LICENSE-APACHE"),
                        ("DejaVu fonts", "assets/fonts/LICENSE-DejaVu.txt")):
        lines += ["", "", f"--- {title} ---", "", (ROOT / path).read_text(encoding="utf-8")]
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
