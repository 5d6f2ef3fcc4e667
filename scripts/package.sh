#!/usr/bin/env bash
# Builds the kiosk's installable package with Tauri's own bundler: a .deb for Debian 12 / Ubuntu
# holding the release kiosk, the `hadir` admin command, the "Hadir kiosk" login session with its
# restart loop, the icon, a desktop entry and licence notices. Installs what is missing first
# (apt packages, the pinned Tauri CLI from npm). Prints the package's path on its last line.
#
#   scripts/package.sh          # the release profile as shipped
#   HADIR_PACKAGE_FAST=1 scripts/package.sh   # CI: same code, no LTO and parallel codegen,
#                                             # so a cold build fits the test run's time
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
scripts/setup.sh package

if [ "${HADIR_PACKAGE_FAST:-}" = "1" ]; then
  export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
fi

target_dir=$(cargo metadata --format-version 1 --no-deps --locked |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
mkdir -p "$target_dir/package"

echo "== package: the admin command (release)"
cargo build --release --locked -p hadir-cli
echo "== package: licence notices"
packaging/third_party_licenses.py "$target_dir/package/THIRD-PARTY-LICENSES.txt"

# The CLI bundles from src-tauri/ (see packaging/tauri_config_for_bundler.py); the copy of the
# config it needs there exists only while it runs.
bundler_config="$root/src-tauri/tauri.conf.json"
trap 'rm -f "$bundler_config"' EXIT
packaging/tauri_config_for_bundler.py "$bundler_config" "$target_dir"

echo "== package: the kiosk (release) and the .deb"
TAURI_APP_PATH="$root/src-tauri" TAURI_FRONTEND_PATH="$root/ui" CI=true \
  packaging/node_modules/.bin/tauri build --bundles deb -- --locked

version=$(python3 -c 'import json; print(json.load(open("tauri.conf.json"))["version"])')
deb=$(ls -t "$target_dir"/release/bundle/deb/*_"$version"_*.deb | head -n 1)
# Debian's own naming (package_version_architecture), whatever case the bundler used.
name="$(dpkg-deb -f "$deb" Package)_${version}_$(dpkg-deb -f "$deb" Architecture).deb"
cp "$deb" "$target_dir/package/$name"
echo "$target_dir/package/$name"
