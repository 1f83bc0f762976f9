#!/usr/bin/env bash
# The demo, from a fresh Debian machine: installs the dependencies, builds,
# starts the local sandbox (MISP + Entra ID + Sentinel stand-ins) with the
# bundled real MISP events, runs `misp2sentinel sync` twice (the second run
# sends nothing) and shows the store. Everything stays in ./demo.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install-deps.sh
# The demo needs only the tool and the sandbox, not the test suite.
BUILD_DIR=build TARGETS="misp2sentinel m2s-sandbox" tools/build.sh

demo=$PWD/demo
rm -rf "$demo"
mkdir -p "$demo"

build/tools/sandbox/m2s-sandbox --events-dir data/misp-events \
  --record "$demo/sentinel-sandbox.db" --port 0 \
  --port-file "$demo/sandbox.port" 2>"$demo/sandbox.log" >/dev/null &
sandbox_pid=$!
trap 'kill $sandbox_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  [ -s "$demo/sandbox.port" ] && break
  sleep 0.1
done
port=$(cat "$demo/sandbox.port")
url="http://127.0.0.1:$port"

# The sandbox's fixed demo credentials (tools/sandbox/README.md).
cat >"$demo/misp2sentinel.toml" <<TOML
[misp]
url = "$url"
key_env = "DEMO_MISP_KEY"
[misp.filters]
published = false   # most bundled events are unpublished exports
tags = []
[sentinel]
api = "stix-objects"
tenant_id = "00000000-0000-4000-8000-000000000001"
client_id = "00000000-0000-4000-8000-000000000002"
client_secret_env = "DEMO_CLIENT_SECRET"
workspace_id = "00000000-0000-4000-8000-000000000003"
login_url = "$url"
api_url = "$url"
[state]
path = "state.db"
TOML
export DEMO_MISP_KEY=sandbox-misp-key-0000000000000000000000000
export DEMO_CLIENT_SECRET=sandbox-client-secret

echo "== First sync: every actionable attribute of $(ls data/misp-events | wc -l) real MISP events"
build/misp2sentinel sync --config "$demo/misp2sentinel.toml"
echo
echo "== Second sync: nothing changed, nothing sent"
build/misp2sentinel sync --config "$demo/misp2sentinel.toml"
echo
echo "== The store (sqlite3 demo/state.db): active indicators by type"
sqlite3 -header -column "$demo/state.db" "SELECT * FROM active_by_type"
echo
echo "== The store: the two runs"
sqlite3 -header -column "$demo/state.db" \
  "SELECT run_id, mode, outcome, events_read, indicators_new,
          indicators_unchanged, objects_sent FROM runs"
echo
echo "== What the Sentinel stand-in holds (demo/sentinel-sandbox.db)"
sqlite3 -header -column "$demo/sentinel-sandbox.db" \
  "SELECT count(*) AS objects, sum(versions_received) AS versions_received
   FROM objects"
