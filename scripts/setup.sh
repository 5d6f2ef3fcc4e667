#!/usr/bin/env bash
# Installs what Hadir needs on Debian 12 / Ubuntu, and only what is missing, so a second run
# takes a second. Usage: scripts/setup.sh run|office|package|test
set -euo pipefail

purpose="${1:-test}"

# What building the kiosk needs (the Tauri 2 prerequisites for Linux), the UI font, and the
# GStreamer plugins WebKitGTK plays the WAV cues with.
run_packages=(
  build-essential pkg-config curl file
  libwebkit2gtk-4.1-dev libxdo-dev libssl-dev libayatana-appindicator3-dev librsvg2-dev
  fonts-dejavu-core gstreamer1.0-plugins-good
)
# What the tests add: a virtual X server, WebKit's WebDriver, a PDF reader, a session bus, and a
# real CUPS scheduler with the cups-pdf queue driver for the OS-printer path, and xdotool for
# real X key events into the installed kiosk (tests/e2e/installed.rs).
test_packages=(xvfb xauth webkit2gtk-driver poppler-utils python3-openpyxl dbus-x11 at-spi2-core cups printer-driver-cups-pdf postgresql xdotool)

# Building the .deb (scripts/package.sh) needs Node.js and npm for Tauri's prebuilt CLI.
package_packages=()
command -v npm >/dev/null 2>&1 || package_packages+=(nodejs npm)

packages=("${run_packages[@]}")
if [ "$purpose" = "test" ] || [ "$purpose" = "package" ]; then
  packages+=("${package_packages[@]}")
fi
if [ "$purpose" = "test" ]; then
  packages+=("${test_packages[@]}")
fi
# The one-machine office (scripts/run.sh office) runs its own throwaway office hub.
if [ "$purpose" = "office" ]; then
  packages+=(postgresql)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    sudo=()
  elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "setup: these packages are missing and there is no sudo: ${missing[*]}" >&2
    echo "setup: install them as root (apt-get install ${missing[*]}) and run again." >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: no Rust toolchain found. Install it from https://rustup.rs, then run again." >&2
  exit 1
fi

if [ "$purpose" = "test" ]; then
  for component in rustfmt clippy; do
    if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
      rustup component add "$component"
    fi
  done
  if ! tauri-driver --help >/dev/null 2>&1; then
    echo "setup: installing tauri-driver 2.x"
    cargo install tauri-driver --version '^2' --locked
  fi
fi

if [ "$purpose" = "test" ] || [ "$purpose" = "package" ]; then
  # Tauri's bundler, pinned in packaging/package.json (and its lock); installed again only when
  # that pin changes.
  packaging="$(dirname "$0")/../packaging"
  pinned=$(sed -n 's/.*"@tauri-apps\/cli": "\([^"]*\)".*/\1/p' "$packaging/package.json")
  if [ "$("$packaging/node_modules/.bin/tauri" --version 2>/dev/null)" != "tauri-cli $pinned" ]; then
    echo "setup: installing the Tauri CLI $pinned (npm ci in packaging/)"
    (cd "$packaging" && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
