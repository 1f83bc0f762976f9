#!/usr/bin/env bash
# Builds the libFuzzer targets of tools/fuzz (clang, ASan + UBSan, coverage)
# and runs each for FUZZ_SECONDS. Usage: tools/fuzz.sh [target...]
#
#   FUZZ_SECONDS  time per target (default 60)
#   FUZZ_JOBS     targets run at once (default 1)
#   BUILD_DIR     build folder (default build-fuzz; a folder configured
#                 with -DM2S_BUILD_FUZZERS=ON, such as tools/test.sh's
#                 sanitizer build, is reused as it is)
#
# Seeds come from tools/fuzz/corpus/<name>; what the fuzzer adds goes to
# BUILD_DIR/fuzz-corpus/<name>, crashes to BUILD_DIR/fuzz-artifacts/<name>,
# the log to BUILD_DIR/fuzz-logs/<name>.log. Exits 1 when a target crashed;
# rerun one crash with: BUILD_DIR/tools/fuzz/fuzz_<name> <crash file>.
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${BUILD_DIR:-build-fuzz}
seconds=${FUZZ_SECONDS:-60}
jobs=${FUZZ_JOBS:-1}
all=(event_pipeline config stix_literal http_answers)
names=("${all[@]}")
if [ $# -gt 0 ]; then
  names=("$@")
fi

if ! grep -q '^M2S_BUILD_FUZZERS:BOOL=ON' "$build_dir/CMakeCache.txt" \
  2>/dev/null; then
  CC=clang CXX=clang++ cmake -S . -B "$build_dir" -G Ninja \
    -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS=-O1 \
    -DM2S_BUILD_FUZZERS=ON -DM2S_BUILD_TESTS=OFF >/dev/null
fi
cmake --build "$build_dir" --target m2s_fuzzers -j "$(nproc)"

# Options per target: a dictionary where one helps, and an input size that
# keeps mutation fast while fitting the seeds.
options_for() {
  case "$1" in
  event_pipeline) echo "-dict=tools/fuzz/dict/misp.dict -max_len=65536" ;;
  config) echo "-dict=tools/fuzz/dict/toml.dict -max_len=8192" ;;
  stix_literal) echo "-max_len=4096" ;;
  http_answers) echo "-max_len=16384" ;;
  *)
    echo "fuzz.sh: unknown target $1 (known: ${all[*]})" >&2
    exit 2
    ;;
  esac
}

run_one() {
  local name=$1 corpus=$build_dir/fuzz-corpus/$1
  local artifacts=$build_dir/fuzz-artifacts/$1 log=$build_dir/fuzz-logs/$1.log
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
  # shellcheck disable=SC2046
  if "$build_dir/tools/fuzz/fuzz_$name" $(options_for "$name") \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" \
    "$corpus" "tools/fuzz/corpus/$name" >"$log" 2>&1; then
    local runs
    runs=$(grep -ao 'stat::number_of_executed_units: *[0-9]*' "$log" |
      grep -o '[0-9]*$' || echo "?")
    echo "fuzz $name: ok, $runs runs in ${seconds}s," \
      "$(find "$corpus" -type f | wc -l) inputs in $corpus"
  else
    echo "fuzz $name: FAILED, see $log and $artifacts/" >&2
    grep -E 'ERROR|fuzz check failed|SUMMARY' "$log" | head -5 >&2 || true
    return 1
  fi
}

for name in "${names[@]}"; do
  options_for "$name" >/dev/null
done

failed=0
running=0
for name in "${names[@]}"; do
  run_one "$name" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n || failed=1
    running=$((running - 1))
  fi
done
while [ "$running" -gt 0 ]; do
  wait -n || failed=1
  running=$((running - 1))
done
exit "$failed"
