#!/usr/bin/env bash
# Builds the .deb with CPack, installs it with dpkg -i, runs the installed
# /usr/bin/misp2sentinel (--version, then `check`, or `sync` where there is
# no check command) against the local sandbox with the installed example
# config, then removes the package and leaves the machine as it was.
#
#   tools/package-test.sh [BUILD_DIR]
#
# BUILD_DIR (default build-package) is reused when it holds a configured
# tree (ctest passes the suite's own); otherwise it is configured as a
# Release build of just the binary and the sandbox. Needs root (dpkg).
# Exit 77 (ctest: skipped) when not root, without dpkg, or when a
# misp2sentinel package is already installed (it is not touched).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build_dir=$(realpath -m "${1:-$repo/build-package}")

skip() {
  echo "package-test: SKIPPED: $*" >&2
  exit 77
}
fail() {
  echo "package-test: FAILED: $*" >&2
  exit 1
}

[ "$(id -u)" -eq 0 ] || skip "needs root to run dpkg -i"
command -v dpkg >/dev/null || skip "no dpkg on this machine"
if dpkg-query -W -f='${Status}' misp2sentinel 2>/dev/null |
  grep -q "ok installed"; then
  skip "a misp2sentinel package is installed already; not touching it"
fi

# --- build the package ---
if [ ! -f "$build_dir/CMakeCache.txt" ]; then
  cmake -S "$repo" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON >/dev/null
fi
cmake --build "$build_dir" --target misp2sentinel m2s-sandbox >/dev/null
work=$(mktemp -d /tmp/m2s-package-test.XXXXXX)
(cd "$build_dir" && cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1) ||
  { cat "$work/cpack.log" >&2; fail "cpack"; }
debs=("$work"/out/misp2sentinel_*.deb)
deb=${debs[0]}
[ -f "$deb" ] || fail "cpack made no misp2sentinel_*.deb in $work/out"
echo "package-test: built $(basename "$deb")"

# --- what it holds ---
contents=$(dpkg-deb --contents "$deb" | awk '{print $NF}')
for path in ./usr/bin/misp2sentinel \
  ./lib/systemd/system/misp2sentinel.service \
  ./lib/systemd/system/misp2sentinel.timer \
  ./usr/share/doc/misp2sentinel/README.md \
  ./usr/share/doc/misp2sentinel/ARCHITECTURE.md \
  ./usr/share/doc/misp2sentinel/misp2sentinel.toml.example \
  ./usr/share/doc/misp2sentinel/misp2sentinel.cron \
  ./usr/share/doc/misp2sentinel/schema/001_initial.sql; do
  grep -qx -- "$path" <<<"$contents" || fail "$path is not in the package"
done
depends=$(dpkg-deb --field "$deb" Depends)
for lib in libcurl4 libsqlite3-0 libboost-json1.81.0 libspdlog1.10 passwd; do
  grep -q "$lib" <<<"$depends" || fail "Depends lacks $lib: $depends"
done

# --- install, and undo everything on the way out ---
user_existed=no
getent passwd misp2sentinel >/dev/null && user_existed=yes
etc_existed=no
[ -e /etc/misp2sentinel ] && etc_existed=yes
state_existed=no
[ -e /var/lib/misp2sentinel ] && state_existed=yes
sandbox_pid=""
installed=no
cleanup() {
  [ -n "$sandbox_pid" ] && kill "$sandbox_pid" 2>/dev/null &&
    wait "$sandbox_pid" 2>/dev/null
  [ "$installed" = yes ] && dpkg -r misp2sentinel >/dev/null 2>&1
  [ "$etc_existed" = no ] && rmdir /etc/misp2sentinel 2>/dev/null
  [ "$state_existed" = no ] && rmdir /var/lib/misp2sentinel 2>/dev/null
  [ "$user_existed" = no ] && userdel misp2sentinel 2>/dev/null
  rm -rf "$work"
  return 0
}
trap cleanup EXIT

installed=yes
dpkg -i "$deb" >"$work/dpkg.log" 2>&1 ||
  { cat "$work/dpkg.log" >&2; fail "dpkg -i"; }
getent passwd misp2sentinel >/dev/null || fail "postinst made no user"
[ -d /etc/misp2sentinel ] || fail "postinst made no /etc/misp2sentinel"
[ "$state_existed" = yes ] ||
  [ "$(stat -c %U:%a /var/lib/misp2sentinel)" = misp2sentinel:700 ] ||
  fail "postinst made no /var/lib/misp2sentinel owned by the service user"

version=$(sed -n 's/^project(misp2sentinel VERSION \([0-9.]*\).*/\1/p' \
  "$repo/CMakeLists.txt")
got=$(/usr/bin/misp2sentinel --version)
[ "$got" = "misp2sentinel $version" ] ||
  fail "--version printed '$got', not 'misp2sentinel $version'"
echo "package-test: installed; --version: $got"

# --- against the sandbox, with the installed example config ---
"$build_dir/tools/sandbox/m2s-sandbox" --events-dir "$repo/data/misp-events" \
  --record "$work/sandbox.db" --port 0 --port-file "$work/port" \
  >"$work/sandbox.out" 2>"$work/sandbox.err" &
sandbox_pid=$!
for _ in $(seq 100); do
  [ -s "$work/port" ] && break
  sleep 0.1
done
[ -s "$work/port" ] || fail "the sandbox did not start"
url="http://127.0.0.1:$(cat "$work/port")"

sed -e "s|^url = .*|url = \"$url\"|" \
  -e "s|^published = .*|published = false|" \
  -e "s|^tenant_id = .*|tenant_id = \"00000000-0000-4000-8000-000000000001\"|" \
  -e "s|^client_id = .*|client_id = \"00000000-0000-4000-8000-000000000002\"|" \
  -e "s|^workspace_id = .*|workspace_id = \"00000000-0000-4000-8000-000000000003\"|" \
  -e "s|^login_url = .*|login_url = \"$url\"|" \
  -e "s|^api_url = .*|api_url = \"$url\"|" \
  -e "s|^path = .*|path = \"$work/state.db\"|" \
  -e "s|^textfile = .*|textfile = \"$work/misp2sentinel.prom\"|" \
  /usr/share/doc/misp2sentinel/misp2sentinel.toml.example >"$work/config.toml"
export MISP_KEY=sandbox-misp-key-0000000000000000000000000
export AZURE_CLIENT_SECRET=sandbox-client-secret

if /usr/bin/misp2sentinel --help | grep -qE '^ +check( |$)'; then
  command=check
else
  command=sync
fi
set +e
/usr/bin/misp2sentinel "$command" --config "$work/config.toml" \
  >"$work/run.out" 2>"$work/run.err"
code=$?
set -e
if [ "$code" -ne 0 ]; then
  cat "$work/run.out" "$work/run.err" >&2
  fail "misp2sentinel $command exited $code"
fi
if grep -rqF -e "$MISP_KEY" -e "$AZURE_CLIENT_SECRET" "$work/run.out" \
  "$work/run.err"; then
  fail "a secret appears in the output of $command"
fi
echo "package-test: misp2sentinel $command against the sandbox: exit 0"
tail -n 3 "$work/run.out"

dpkg -r misp2sentinel >/dev/null
installed=no
[ ! -e /usr/bin/misp2sentinel ] || fail "dpkg -r left /usr/bin/misp2sentinel"
echo "package-test: removed; PASSED"
