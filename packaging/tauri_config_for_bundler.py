#!/usr/bin/env python3
"""Writes the copy of tauri.conf.json that Tauri's CLI bundles from.

The config lives at the repository root (the kiosk crate's build reads it from there), but
`tauri build` looks for it beside a Cargo.toml with a [package] (src-tauri/), and the root
Cargo.toml is a workspace. So scripts/package.sh points the CLI at src-tauri/ (TAURI_APP_PATH)
and puts this copy there for the length of the build, with every relative path made absolute:
paths are relative to the repository root, and `target/...` means the cargo target directory.

Usage: packaging/tauri_config_for_bundler.py OUT_FILE TARGET_DIR
"""
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def absolute(path: str, target_dir: pathlib.Path) -> str:
    if path.startswith("target/"):
        return str(target_dir / path[len("target/"):])
    return str(ROOT / path)


def main() -> None:
    out_file, target_dir = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    config = json.loads((ROOT / "tauri.conf.json").read_text(encoding="utf-8"))
    config["build"]["frontendDist"] = absolute(config["build"]["frontendDist"], target_dir)
    bundle = config["bundle"]
    bundle["icon"] = [absolute(icon, target_dir) for icon in bundle["icon"]]
    # Resources are read relative to the kiosk crate (src-tauri/), as its build script copies
    # them from there for a workspace build: `../assets/calls/`.
    if "resources" in bundle:
        bundle["resources"] = {str((ROOT / "src-tauri" / src).resolve()): dest
                               for src, dest in bundle["resources"].items()}
    if "licenseFile" in bundle:
        bundle["licenseFile"] = absolute(bundle["licenseFile"], target_dir)
    deb = bundle["linux"]["deb"]
    deb["files"] = {dest: absolute(src, target_dir) for dest, src in deb["files"].items()}
    for key in ("desktopTemplate", "preInstallScript", "postInstallScript", "preRemoveScript",
                "postRemoveScript"):
        if key in deb:
            deb[key] = absolute(deb[key], target_dir)
    out_file.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
