#!/usr/bin/env bash
# Installs what building and testing misp2sentinel needs, from Debian
# packages only. Safe to run again. Needs root (or sudo).
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config
  libsqlitecpp-dev libsqlite3-dev sqlite3
  libcurl4-openssl-dev libssl-dev
  libboost-json1.81-dev libcli11-dev
  libgtest-dev libgmock-dev
  libspdlog-dev libfmt-dev libtomlplusplus-dev libcpp-httplib-dev
  ca-certificates openssl # openssl: a TLS test makes a certificate
  clang libclang-rt-14-dev # the sanitizer build and the fuzz targets
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
    missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
  --no-install-recommends "${missing[@]}"
