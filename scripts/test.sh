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

# --- 4b. every benchmark once, in quick mode --------------------------------------------
# ANWEI_BENCH_QUICK: about 1 % of the data and a few requests per figure, so a benchmark
# that stops running fails the suite (an error fails it, a missed target does not; the
# figures come from full runs). Built in the test profile, which reuses the suite's build:
# `cargo bench` would first compile the whole dependency tree in release, several minutes.
step "benchmarks in quick mode on SQLite and on PostgreSQL"
ANWEI_BENCH_QUICK=1 cargo test --locked -p anwei --bench '*'
ANWEI_BENCH_QUICK=1 ANWEI_BENCH_DATABASE_URL="$ANWEI_TEST_PG_URL" cargo test --locked -p anwei --bench '*'

# --- 4c. the API description, checked by schemathesis ----------------------------------
# scripts/schemathesis.sh installs schemathesis (PyPI, pinned) into a venv under target/,
# starts `anwei demo` on a temp SQLite database and runs every check as `office` and as
# `territory` (10 examples per operation, fixed seed; about a minute): 0 failures or the
# suite fails. Its documented exceptions are in scripts/schemathesis.toml and docs/api.md.
step "OpenAPI document against the server (schemathesis, office and territory)"
scripts/schemathesis.sh

# --- 5. the integration suite on PostgreSQL ---------------------------------------------
step "integration tests on PostgreSQL"
ANWEI_TEST_DATABASE_URL="$ANWEI_TEST_PG_URL" cargo test --locked -p anwei --test it -- --test-threads=2 --skip browser::

# --- 6. the file tests on an S3-compatible object store ---------------------------------
# moto (PyPI) in server mode speaks the S3 API on a free loopback port. The storage tests run
# against it, then the file tests of supervision, deliverables and duties with every app's
# files in it (ANWEI_TEST_STORAGE=s3). One test is skipped there: it reads the file from the
# local folder by path; storage:: checks the same bytes in the bucket.
step "file tests on an S3-compatible server (moto)"
# moto[s3] plus the server's two web packages: what `moto[server]` would bring for S3 alone,
# in half the install time (the server extra pulls every AWS service's dependencies).
if ! python3 -c 'import moto.server, moto.s3, flask, flask_cors, boto3' >/dev/null 2>&1; then
  PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install -q --disable-pip-version-check \
    'moto[s3]' flask flask-cors
fi
S3DIR=$(mktemp -d /tmp/anwei-s3.XXXXXX)
S3PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
python3 -m moto.server -H 127.0.0.1 -p "$S3PORT" >"$S3DIR/log" 2>&1 &
S3PID=$!
stop_s3() {
  kill "$S3PID" >/dev/null 2>&1 || true
  wait "$S3PID" >/dev/null 2>&1 || true
  rm -rf "$S3DIR"
}
trap 'stop_s3; stop_pg' EXIT
export ANWEI_TEST_S3_URL="http://127.0.0.1:$S3PORT" ANWEI_TEST_S3_BUCKET=anwei-test \
  ANWEI_TEST_S3_REGION=us-east-1 ANWEI_TEST_S3_ACCESS_KEY_ID=anwei-test \
  ANWEI_TEST_S3_SECRET_ACCESS_KEY=anwei-test-secret
# Poll for readiness, then create the bucket with a signed request (boto3 comes with moto).
python3 - <<'EOF'
import os, time, urllib.request, boto3
url = os.environ["ANWEI_TEST_S3_URL"]
for _ in range(300):
    try:
        urllib.request.urlopen(url + "/moto-api/", timeout=1)
        break
    except OSError:
        time.sleep(0.1)
else:
    raise SystemExit("moto did not start")
boto3.client("s3", endpoint_url=url, region_name=os.environ["ANWEI_TEST_S3_REGION"],
             aws_access_key_id=os.environ["ANWEI_TEST_S3_ACCESS_KEY_ID"],
             aws_secret_access_key=os.environ["ANWEI_TEST_S3_SECRET_ACCESS_KEY"],
             ).create_bucket(Bucket=os.environ["ANWEI_TEST_S3_BUCKET"])
EOF
ANWEI_TEST_STORAGE=s3 cargo test --locked -p anwei --test it -- storage:: supervision:: deliverables:: duties:: \
  --test-threads=2 --skip supervision::a_pdf_is_stored_by_its_hash_and_downloadable
stop_s3
unset ANWEI_TEST_S3_URL

step "all suites passed"
