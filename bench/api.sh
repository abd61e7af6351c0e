#!/usr/bin/env bash
# The Mastodon-API read benchmark of ../shared/bench, run against a fresh
# `weft serve` on SQLite: build, create five accounts with tokens, seed
# 2,000 statuses (bench-seed.py, which also times posting), measure the
# reads right after the writes, restart the server, measure again.
#
# Usage: bench/api.sh [OUTDIR]       (default: /tmp/weft-bench-<time>)
# Needs: wrk, curl, jq, python3-requests (Debian packages), ../shared/bench.
# Environment: passed on to mastodon-api-bench.sh (DURATION, REPEATS, TESTS…);
#   PORT (default 18080), SEED_ONLY=1 to stop after seeding, PROFILE=1 to
#   serve pprof on 127.0.0.1:6060 (WEFT_DEBUG_LISTEN).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
shared=${SHARED_BENCH:-$root/../shared/bench}
out=${1:-/tmp/weft-bench-$(date -u +%Y%m%dT%H%M%SZ)}
port=${PORT:-18080}
base=http://127.0.0.1:$port
mkdir -p "$out"
for b in wrk curl jq python3; do command -v $b >/dev/null || { echo "missing $b (apt-get install wrk curl jq python3-requests)" >&2; exit 2; }; done
[ -d "$shared" ] || { echo "missing $shared" >&2; exit 2; }

(cd "$root" && go build -o "$out/weft" ./cmd/weft)
export WEFT_DATA_DIR=$out/data WEFT_LISTEN=127.0.0.1:$port WEFT_RATE_LIMIT=off WEFT_LOG_LEVEL=warn
[ "${PROFILE:-}" = 1 ] && export WEFT_DEBUG_LISTEN=127.0.0.1:6060

start() {
  "$out/weft" serve >>"$out/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do curl -sf "$base/api/v1/instance" >/dev/null && return; sleep 0.1; done
  echo "weft did not start; see $out/server.log" >&2; exit 1
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; }

"$out/weft" migrate >/dev/null
: >"$out/tokens.txt"
for u in alice bob carol dave erin; do
  "$out/weft" admin user create --username $u --email $u@bench.test --password "bench-password-$u" >/dev/null
  echo "$u $("$out/weft" admin token create --username $u --scopes 'read write follow')" >>"$out/tokens.txt"
done
token=$(awk 'NR==1 {print $2}' "$out/tokens.txt")

start
python3 "$shared/bench-seed.py" --base "$base" --tokens "$out/tokens.txt" --seed 42 --out "$out/seed-result.json" | tee "$out/seed.txt"
root_id=$(cat "$out/seed-result.json.thread_root_id")
[ "${SEED_ONLY:-}" = 1 ] && { echo "server pid $pid, token $token, thread $root_id"; exit 0; }

echo "== after writes"
SERVER_PID=$pid IDLE_AFTER=${IDLE_AFTER:-0} OUTDIR=$out/after-writes "$shared/mastodon-api-bench.sh" "$base" "$token" "$root_id"
stop
start
echo "== after a restart"
SERVER_PID=$pid IDLE_AFTER=${IDLE_AFTER:-0} OUTDIR=$out/after-restart "$shared/mastodon-api-bench.sh" "$base" "$token" "$root_id"
stop
echo "results in $out"
