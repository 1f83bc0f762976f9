#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine: installs the
# dependencies, builds with warnings as errors, runs every test; then the
# same suite under ASan + UBSan and each fuzz target for FUZZ_SECONDS
# (default 20), from one clang build (SANITIZE=0 skips that part).
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install-deps.sh
BUILD_DIR=${BUILD_DIR:-build-test} BUILD_TYPE=${BUILD_TYPE:-Debug} \
  CMAKE_FLAGS="-DM2S_WARNINGS_AS_ERRORS=ON ${CMAKE_FLAGS:-}" tools/build.sh
ctest --test-dir "${BUILD_DIR:-build-test}" --output-on-failure \
  --no-tests=error -j "$(nproc)"

if [ "${SANITIZE:-1}" != 0 ]; then
  sanitize_dir=${SANITIZE_BUILD_DIR:-build-sanitize}
  # -O0: clang compiles instrumented code 2.5x faster than at -O1, and the
  # suite is bound by I/O, not by the slower code. tools/fuzz.sh on its
  # own builds at -O1 for fuzzing speed.
  CC=clang CXX=clang++ BUILD_DIR=$sanitize_dir BUILD_TYPE=Debug \
    CMAKE_FLAGS="-DM2S_BUILD_FUZZERS=ON -DCMAKE_CXX_FLAGS=-O0" tools/build.sh
  ctest --test-dir "$sanitize_dir" --output-on-failure --no-tests=error \
    -j "$(nproc)"
  BUILD_DIR=$sanitize_dir FUZZ_SECONDS=${FUZZ_SECONDS:-20} \
    FUZZ_JOBS=$(nproc) tools/fuzz.sh
fi
