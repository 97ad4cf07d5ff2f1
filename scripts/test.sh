#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs what it needs (PostgreSQL, Chromium,
# chromedriver, CJK fonts from Debian), starts a private PostgreSQL on a free loopback port
# in a temp folder, runs fmt, clippy, the suite on SQLite and on PostgreSQL, the browser
# tests, and stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export CARGO_TERM_COLOR=never

step() { printf '\n==> %s\n' "$*"; }

# --- 1. packages ------------------------------------------------------------------------
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v pg_dump >/dev/null 2>&1 || need+=(postgresql-client)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
if [ ${#need[@]} -gt 0 ]; then
  step "installing ${need[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

# --- 2. a private PostgreSQL ------------------------------------------------------------
PGBIN=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")
PGDIR=$(mktemp -d /tmp/anwei-pg.XXXXXX)
PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
RUNAS=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home "$PGDIR" postgres
  chown postgres "$PGDIR"
  RUNAS=(runuser -u postgres --)
fi
stop_pg() {
  "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PGDIR"
}
trap stop_pg EXIT
step "starting PostgreSQL on 127.0.0.1:$PGPORT"
"${RUNAS[@]}" "$PGBIN/initdb" -D "$PGDIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w \
  -o "-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=on" start >/dev/null
export ANWEI_TEST_PG_URL="postgres://postgres@127.0.0.1:$PGPORT/postgres"

# --- 3. static checks -------------------------------------------------------------------
step "cargo fmt --check"
cargo fmt --all -- --check
step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

# --- 4. the suite on SQLite (with the browser tests) ------------------------------------
mkdir -p "$ROOT/test-output"
step "tests on SQLite (unit, integration, browser)"
cargo test --workspace --locked -- --test-threads=2

# --- 5. the integration suite on PostgreSQL ---------------------------------------------
step "integration tests on PostgreSQL"
ANWEI_TEST_DATABASE_URL="$ANWEI_TEST_PG_URL" cargo test --locked -p anwei --test it -- --test-threads=2 --skip browser::

step "all suites passed"
