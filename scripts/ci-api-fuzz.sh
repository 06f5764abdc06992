#!/usr/bin/env bash
# Fuzzes the JSON API against its own OpenAPI document with schemathesis: builds the release
# binary, serves the demo jurisdiction on a fresh SQLite database, makes an API token for the
# demo's nationwide administrator, and lets schemathesis send generated requests — valid and
# invalid — to every operation. It fails on any server error (5xx), on any response that does
# not match the document (status code, content type, headers, body schema), on any invalid
# request the API accepts, on a method a path does not document answered otherwise than 405
# with an Allow header, and on an operation that answers without credentials. Strings are
# generated without NUL characters (the API refuses them, tested in crates/web/tests), so that
# requests reach the records rather than stop at that check. The server is stopped at the end,
# whatever happened.
#
# Settings (environment):
#   ECODUTY_FUZZ_EXAMPLES  test cases per operation and phase (default 20)
#   ECODUTY_FUZZ_SEED      schemathesis seed (default fixed, so that CI runs repeat)
#   ECODUTY_FUZZ_VENV      where schemathesis is installed (default target/fuzz-venv)
#   ECODUTY_FUZZ_PORT      port to serve on (default: a free one)
set -euo pipefail
cd "$(dirname "$0")/.."

examples="${ECODUTY_FUZZ_EXAMPLES:-20}"
seed="${ECODUTY_FUZZ_SEED:-20250718}"
venv="${ECODUTY_FUZZ_VENV:-target/fuzz-venv}"
target="${CARGO_TARGET_DIR:-target}"

echo "== building the release binary"
cargo build --release -p ecoduty
bin="$target/release/ecoduty"

echo "== installing schemathesis into $venv"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check schemathesis

tmp="$(mktemp -d)"
port="${ECODUTY_FUZZ_PORT:-$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
db="sqlite://$tmp/fuzz.db"
base="http://127.0.0.1:$port"

server=""
stop() {
    if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
        kill "$server"
        wait "$server" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap stop EXIT

echo "== serving the demo on $base"
"$bin" --db "$db" serve --demo --addr "127.0.0.1:$port" >"$tmp/server.log" 2>&1 &
server=$!
ready=""
for _ in $(seq 1 120); do
    if ! kill -0 "$server" 2>/dev/null; then
        echo "the server stopped:" >&2
        cat "$tmp/server.log" >&2
        exit 1
    fi
    if "$venv/bin/python" -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=2)" \
        "$base/api/v1/openapi.json" 2>/dev/null; then
        ready=1
        break
    fi
    sleep 0.5
done
if [ -z "$ready" ]; then
    echo "the server did not answer within a minute:" >&2
    cat "$tmp/server.log" >&2
    exit 1
fi

token="$("$bin" --db "$db" user token --username admin --name fuzz)"

echo "== schemathesis: $examples examples per operation, seed $seed"
status=0
"$venv/bin/schemathesis" run "$base/api/v1/openapi.json" \
    --header "Authorization: Bearer $token" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,negative_data_rejection,unsupported_method,allow_header_conformance,ignored_auth \
    --phases examples,coverage,fuzzing \
    --max-examples "$examples" \
    --seed "$seed" \
    --generation-allow-x00 false \
    --generation-database none \
    --workers 1 \
    --request-timeout 30 \
    --no-color || status=$?

if grep -q "ERROR\|panicked" "$tmp/server.log"; then
    echo "the server logged errors:" >&2
    grep "ERROR\|panicked" "$tmp/server.log" >&2
    status=1
fi
exit "$status"
