#!/usr/bin/env bash
# Load benchmark on loopback: `ecoduty serve --demo` (release build) against wrk.
#   bench/web/load.sh [sqlite|postgres] [DURATION_SECONDS]
# Measures: a signed-in GET of a region page, the JSON point-in-time query (who held each post
# of 焦作市 on a date: one date again and again, then a random date each request, which the
# server's memo of answers per ledger tip rarely holds), and the write rate of ledgered changes
# (POSTs that each append a version and a ledger entry). Needs wrk (apt-get install wrk) and, for postgres, a running server at
# ECODUTY_BENCH_PG (default postgres://postgres@127.0.0.1:5432/test, a fresh database is made).
set -euo pipefail
cd "$(dirname "$0")/../.."
backend=${1:-sqlite}
secs=${2:-20}
bin=${ECODUTY_BIN:-target/release/ecoduty}
port=${ECODUTY_BENCH_PORT:-18181}
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT

case "$backend" in
  sqlite) db="sqlite://$work/bench.db" ;;
  postgres)
    admin=${ECODUTY_BENCH_PG:-postgres://postgres@127.0.0.1:5432/test}
    name="ecoduty_load_$$"
    psql "$admin" -qc "CREATE DATABASE $name"
    db="${admin%/*}/$name"
    trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; psql "$admin" -qc "DROP DATABASE IF EXISTS $name WITH (FORCE)"; rm -rf "$work"' EXIT
    ;;
  *) echo "backend: sqlite or postgres" >&2; exit 2 ;;
esac

ECODUTY_LOG=error "$bin" --db "$db" serve --demo --addr "127.0.0.1:$port" > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do grep -q "one-time password" "$work/serve.log" 2>/dev/null && break; sleep 0.5; done
password=$(grep -o 'one-time password [^ ]*' "$work/serve.log" | awk '{print $3}')
base="http://127.0.0.1:$port"

# Sign in like a browser: the form's token, then the session cookie.
jar="$work/jar"
csrf=$(curl -s -c "$jar" -b "$jar" "$base/signin" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
curl -s -c "$jar" -b "$jar" -o /dev/null -d "username=admin&password=$password&csrf=$csrf&next=/" "$base/signin"
# The printed password is one-time: its session may only replace it, then sign in again.
own="Load-bench-Pw-2026!"
acsrf=$(curl -s -c "$jar" -b "$jar" "$base/account" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
curl -s -c "$jar" -b "$jar" -o /dev/null -d "csrf=$acsrf&current=$password&password=$own&confirm=$own" "$base/account/password"
csrf=$(curl -s -c "$jar" -b "$jar" "$base/signin" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
curl -s -c "$jar" -b "$jar" -o /dev/null -d "username=admin&password=$own&csrf=$csrf&next=/" "$base/signin"
session=$(awk '$6 == "ecoduty_session" {print $7}' "$jar")
[ -n "$session" ] || { echo "sign-in failed" >&2; exit 1; }
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: ecoduty_session=$session" "$base/regions/410800")" = 200 ] \
  || { echo "the session does not open the region page" >&2; exit 1; }
token=$("$bin" --db "$db" user token --username admin --name load-bench 2>/dev/null | grep -o 'edt_[A-Za-z0-9_-]*' || true)

run() {
  echo "--- $1"
  shift
  wrk -t2 -c32 -d"${secs}s" --latency "$@" | grep -E "Requests/sec|Latency  |50%|90%|99%|Non-2xx|Socket errors"
}
run "GET /regions/410800 (signed-in page)" -H "Cookie: ecoduty_session=$session" "$base/regions/410800"
if [ -n "$token" ]; then
  run "GET /api/v1/regions/410800/who?at=2024-06-01 (JSON, API token)" -H "Authorization: Bearer $token" "$base/api/v1/regions/410800/who?at=2024-06-01"
else
  run "GET /api/v1/regions/410800/who?at=2024-06-01 (JSON, session)" -H "Cookie: ecoduty_session=$session" "$base/api/v1/regions/410800/who?at=2024-06-01"
fi
if [ -n "$token" ]; then
  run "GET /api/v1/regions/410800/who?at=<a random date> (JSON, API token, memo mostly missed)" -s bench/web/who-dates.lua -H "Authorization: Bearer $token" "$base"
fi
if [ -n "$token" ] && [ -f bench/web/write.lua ]; then
  run "POST ledgered changes (local duties)" -s bench/web/write.lua -H "Authorization: Bearer $token" "$base"
fi
