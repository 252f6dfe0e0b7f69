#!/usr/bin/env bash
# Installs every Debian package hastewatch needs to build, run and test.
# Idempotent: asks apt only for what is missing, and runs `apt-get update` once,
# only when something has to be installed. Safe to run on every `make`.
set -euo pipefail

# Build and runtime libraries (docs/ARCHITECTURE.md, "Dependencies").
build_pkgs=(
  build-essential cmake ninja-build ccache pkg-config
  libboost-dev libboost-system-dev libssl-dev
  libyaml-cpp-dev libre2-dev rapidjson-dev libsimdjson-dev
  libfmt-dev libcli11-dev libsqlite3-dev libcmark-dev
  libsnappy-dev libzstd-dev libprotozero-dev libcurl4-openssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3
)

want=("${build_pkgs[@]}")
# Node.js and npm build the web UI (ui/, `make ui`), only if there is none: the
# machine's own Node.js package bundles npm, and Debian's separate npm package would
# conflict. The UI's tools need Node.js >= 20.19.
command -v node >/dev/null 2>&1 || want+=(nodejs)
command -v npm >/dev/null 2>&1 || want+=(npm)
if [ "${1:-}" = "--test" ]; then
  # Peers the end-to-end tests start on loopback (tests/e2e/test_ingest_peers.py, ...)
  # and Debian's Chromium for the UI's browser tests (Playwright never downloads one).
  want+=(curl prometheus prometheus-node-exporter prometheus-alertmanager python3-aiosmtpd openssl
         chromium)
fi

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "setup: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
