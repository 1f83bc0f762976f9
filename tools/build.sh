#!/usr/bin/env bash
# Configures and builds misp2sentinel into BUILD_DIR (default: build).
# BUILD_TYPE defaults to Release; extra CMake flags come from CMAKE_FLAGS;
# TARGETS (space-separated) limits the build to those targets.
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${BUILD_DIR:-build}
build_type=${BUILD_TYPE:-Release}
# shellcheck disable=SC2086
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="$build_type" \
  ${CMAKE_FLAGS:-} >/dev/null
target_args=()
for target in ${TARGETS:-}; do
  target_args+=(--target "$target")
done
cmake --build "$build_dir" -j "$(nproc)" "${target_args[@]}"
