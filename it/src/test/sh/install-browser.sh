#!/usr/bin/env bash
# Installs the browser the end-to-end tests drive (Debian's chromium + chromium-driver) when it is missing.
# Runs in the it module's initialize phase, so that `mvn -B verify` works on a fresh Debian machine by itself.
# Usage: install-browser.sh <chromium path> <chromedriver path>
set -euo pipefail
chromium="${1:-/usr/bin/chromium}"
chromedriver="${2:-/usr/bin/chromedriver}"

if [ -x "$chromium" ] && [ -x "$chromedriver" ]; then
  exit 0
fi

fail() {
  cat >&2 <<MSG
[conduit] The end-to-end tests need Chromium and its chromedriver at $chromium and $chromedriver.
[conduit] $1
[conduit] Install them (Debian/Ubuntu: apt-get install chromium chromium-driver), or point the build at your own:
[conduit]   mvn -B verify -Dchromium.binary=/path/to/chromium -Dchromedriver.binary=/path/to/chromedriver
[conduit] or skip the end-to-end tests with -DskipITs.
MSG
  exit 1
}

if ! command -v apt-get >/dev/null 2>&1; then
  fail "This is not a Debian-like system (no apt-get), so they cannot be installed automatically."
fi

run_as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    run_as_root=(sudo -n)
  else
    fail "Installing them needs root or password-less sudo, and this build has neither."
  fi
fi

echo "[conduit] Installing chromium and chromium-driver with apt-get (missing: $chromium or $chromedriver)"
"${run_as_root[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${run_as_root[@]}" apt-get install -y -q --no-install-recommends chromium chromium-driver

if [ ! -x "$chromium" ] || [ ! -x "$chromedriver" ]; then
  fail "apt-get installed chromium and chromium-driver, but they are not at these paths."
fi
