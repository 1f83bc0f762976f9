#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine: installs the
# dependencies, builds with warnings as errors, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install-deps.sh
BUILD_DIR=${BUILD_DIR:-build-test} BUILD_TYPE=${BUILD_TYPE:-Debug} \
  CMAKE_FLAGS="-DM2S_WARNINGS_AS_ERRORS=ON ${CMAKE_FLAGS:-}" tools/build.sh
ctest --test-dir "${BUILD_DIR:-build-test}" --output-on-failure \
  --no-tests=error -j "$(nproc)"
