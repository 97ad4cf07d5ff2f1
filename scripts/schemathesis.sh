#!/usr/bin/env bash
# Checks that the OpenAPI document at /api/v1/openapi.json is one a client can trust: runs
# schemathesis (PyPI) with every check against a running Anwei, once as the city committee
# office (`office`) and once as a county territory account (`territory`, 东昌区), and fails on
# any failure. Idempotent: installs schemathesis into a venv under target/ when it is missing,
# builds the debug binary, starts `anwei demo` on a free loopback port with a fresh SQLite
# database in a temp folder, makes one API token per role, and stops the server at the end.
#
# Settings (see docs/api.md, "Checking the description"):
#   scripts/schemathesis.toml    the checks' configuration and its documented exceptions
#   ST_MAX_EXAMPLES (default 10) test cases per operation and phase
#   ST_SEED (default 20260)      fixed, so a run is reproducible
#   ST_VENV                      the venv (default target/schemathesis-venv)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export CARGO_TERM_COLOR=never

SCHEMATHESIS_VERSION=4.32.5
ST_MAX_EXAMPLES=${ST_MAX_EXAMPLES:-10}
ST_SEED=${ST_SEED:-20260}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
ST_VENV=${ST_VENV:-$TARGET/schemathesis-venv}
ST="$ST_VENV/bin/schemathesis"

say() { printf '  %s\n' "$*"; }

# --- schemathesis, pinned: its checks grow between versions ------------------------------
if ! "$ST" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  say "installing schemathesis $SCHEMATHESIS_VERSION into $ST_VENV"
  python3 -m venv "$ST_VENV"
  "$ST_VENV/bin/pip" install -q --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

# --- the server, on a fresh database -------------------------------------------------------
cargo build --locked -q -p anwei
BIN="$TARGET/debug/anwei"
WORK=$(mktemp -d /tmp/anwei-st.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
BASE="http://127.0.0.1:$PORT"
# Run from the temp folder so no ./anwei.toml of the checkout is read.
# The public report form's per-address limit would answer 429 to the run's many requests.
(cd "$WORK" && ANWEI_REPORTS__PUBLIC_PER_MINUTE=1000000 exec "$BIN" demo --data-dir "$WORK/data" --port "$PORT") >"$WORK/server.log" 2>&1 &
SERVER=$!
stop() {
  kill "$SERVER" >/dev/null 2>&1 || true
  wait "$SERVER" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap stop EXIT
for _ in $(seq 1 300); do
  curl -fsS "$BASE/readyz" >/dev/null 2>&1 && break
  kill -0 "$SERVER" 2>/dev/null || { cat "$WORK/server.log"; exit 1; }
  sleep 0.2
done
curl -fsS "$BASE/readyz" >/dev/null

# An API token for a demo account: log in, then create a long-lived token with that login.
token() {
  python3 - "$BASE" "$1" "$2" <<'EOF'
import json, sys, urllib.request
base, user, name = sys.argv[1:]
def call(path, body, token=None):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST",
                                 headers={"content-type": "application/json"})
    if token:
        req.add_header("authorization", "Bearer " + token)
    return json.load(urllib.request.urlopen(req, timeout=30))
login = call("/api/v1/auth/login", {"username": user, "password": "Anwei-Demo-2022"})["token"]
print(call("/api/v1/tokens", {"name": name}, login)["token"])
EOF
}

# Logging out revokes the token used, and revoking a token by id can hit the run's own token:
# those two operations run last, each role with a token made for it alone.
LAST=(--include-path /api/v1/auth/logout --include-path '/api/v1/tokens/{id}/revoke')
run() {
  local role=$1 token=$2; shift 2
  say "schemathesis as $role"
  "$ST" --config-file scripts/schemathesis.toml run "$BASE/api/v1/openapi.json" \
    -H "Authorization: Bearer $token" --max-examples "$ST_MAX_EXAMPLES" --seed "$ST_SEED" \
    "$@" >"$WORK/st-$role.log" 2>&1 || { cat "$WORK/st-$role.log"; say "schemathesis as $role: FAILED"; return 1; }
  tail -n 12 "$WORK/st-$role.log" | grep -E 'generated|passed|failures|errors|warnings in' || true
}
# All tokens first: the runs try logins with wrong passwords, and the login limiter would
# then refuse ours (429) for a minute.
OFFICE=$(token office schemathesis)
TERRITORY=$(token territory schemathesis)
OFFICE_LAST=$(token office schemathesis-last)
TERRITORY_LAST=$(token territory schemathesis-last)
status=0
EXCLUDE=(--exclude-path /api/v1/auth/logout --exclude-path '/api/v1/tokens/{id}/revoke')
run office "$OFFICE" "${EXCLUDE[@]}" || status=1
run territory "$TERRITORY" "${EXCLUDE[@]}" || status=1
run office-last "$OFFICE_LAST" "${LAST[@]}" || status=1
run territory-last "$TERRITORY_LAST" "${LAST[@]}" || status=1
exit $status
