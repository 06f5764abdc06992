#!/usr/bin/env bash
# Browser tests: the release binary serves the demo on a free port over a fresh SQLite
# database; Debian's headless Chromium, driven by playwright-core (crates/web/tests/browser),
# signs in, navigates, imports rosters, switches language and checks the layout at phone and
# laptop widths. The server is stopped whatever happens.
#
#   scripts/ci-browser.sh                      # build, serve, test
#   ECODUTY_SCREENSHOTS=/tmp/shots scripts/ci-browser.sh   # also keep screenshots
#
# Needs: cargo, node (>= 18) and npm; Chromium comes from Debian (installed when missing,
# as root); playwright-core never downloads a browser.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

if ! command -v chromium >/dev/null 2>&1; then
    echo "installing Debian's chromium" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
chromium_bin=$(command -v chromium)

cargo build --release -p ecoduty
bin="${CARGO_TARGET_DIR:-$root/target}/release/ecoduty"

work=$(mktemp -d)
server=""
cleanup() {
    if [[ -n "$server" ]] && kill -0 "$server" 2>/dev/null; then
        kill -TERM "$server"
        wait "$server" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# Port 0: the system picks a free port, and the server prints the address it bound.
"$bin" serve --demo --addr 127.0.0.1:0 --db "sqlite://$work/browser.db" >"$work/server.out" 2>"$work/server.err" &
server=$!
url=""
password=""
for _ in $(seq 1 240); do
    url=$(sed -n 's|^ecoduty serving \(http://[^/ ]*\)/.*|\1|p' "$work/server.out")
    password=$(sed -n 's|^demo administrator: username admin, one-time password \(.*\)$|\1|p' "$work/server.out")
    [[ -n "$url" && -n "$password" ]] && break
    if ! kill -0 "$server" 2>/dev/null; then
        echo "the server stopped:" >&2
        cat "$work/server.out" "$work/server.err" >&2
        exit 1
    fi
    sleep 0.5
done
if [[ -z "$url" || -z "$password" ]]; then
    echo "the server did not start in time:" >&2
    cat "$work/server.out" "$work/server.err" >&2
    exit 1
fi
echo "server at $url" >&2

cd crates/web/tests/browser
npm ci --no-audit --no-fund --loglevel=error
status=0
ECODUTY_URL="$url" ECODUTY_ADMIN_PASSWORD="$password" CHROMIUM="$chromium_bin" \
    node --test --test-concurrency=1 --test-reporter=spec || status=$?
if [[ $status -ne 0 ]]; then
    echo "--- server log ---" >&2
    tail -n 50 "$work/server.err" >&2 || true
fi
exit $status
