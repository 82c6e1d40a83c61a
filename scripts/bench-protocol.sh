#!/usr/bin/env bash
# scripts/bench-protocol.sh — the admin protocol against redis-server, side by side.
#
# What: starts a throwaway PostgreSQL cluster (or uses DATABASE_URL), a caselog
# server on it and a redis-server (no persistence), then runs redis-benchmark
# against both in the same invocation: PING_INLINE and PING_MBULK at -P 1 and
# -P 16 with 50 clients, and caselog's LOG HEAD (a database read) beside
# redis-server's GET. Prints requests/s and the caselog/redis ratios as a
# Markdown table; then holds IDLE idle connections to each server and prints
# their resident memory.
#
# Each PING test runs ROUNDS times against each server, alternating between
# them, and the table shows the median requests/s of each server, the ratio of
# the medians, the lowest and highest ratio of one round's pair of runs, and
# the CPU time each server process used per request over all its rounds (user
# and system, all threads): a figure that moves less with scheduling than
# requests/s, as redis-benchmark shares the machine with the server.
# A -P 16 run sends 16 times REQUESTS requests, so it makes as many round trips
# as a -P 1 run and lasts long enough (about a second) to be measured. LOG HEAD
# and GET run once with REQUESTS requests: that ratio is the price of a
# database round trip, not of the protocol.
#
# Usage: scripts/bench-protocol.sh [REQUESTS] [IDLE] [ROUNDS]
#   REQUESTS  requests per redis-benchmark run at -P 1 (default 200000)
#   IDLE      idle connections to hold (default 10000)
#   ROUNDS    runs of each PING test against each server (default 5)
# Env: CASELOG_BIN (default: a release build in .build-release, built if missing)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REQUESTS="${1:-200000}"
IDLE="${2:-10000}"
ROUNDS="${3:-5}"
CASELOG_PORT=17379
REDIS_PORT=17380
ulimit -n "$(ulimit -Hn)"

# shellcheck source=scripts/bench-setup.sh
source "$ROOT/scripts/bench-setup.sh"
bench_setup bench-protocol.sh redis-benchmark redis-server redis-cli
bench_serve "$CASELOG_PORT"
if (exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT") 2>/dev/null; then
    echo "bench-protocol.sh: port $REDIS_PORT is taken (an earlier run's server?)" >&2
    exit 1
fi
redis-server --port "$REDIS_PORT" --save "" --appendonly no --maxclients 20000 >"$workdir/redis.log" 2>&1 &
redis_pid=$!
bench_track "$redis_pid"
for _ in $(seq 100); do
    redis-cli -p "$REDIS_PORT" PING >/dev/null 2>&1 && break
    sleep 0.1
done
kill -0 "$redis_pid" 2>/dev/null || { echo "bench-protocol.sh: redis-server did not start; see its log" >&2; exit 1; }
redis-cli -p "$REDIS_PORT" SET k v >/dev/null

# requests/s of one redis-benchmark run: rate PORT PIPELINE REQUESTS [AUTH] -- TEST-ARGS...
rate() {
    local port=$1 pipeline=$2 requests=$3 auth=$4
    shift 5
    local args=(-p "$port" -c 50 -n "$requests" -P "$pipeline" --csv)
    [[ -n "$auth" ]] && args+=(-a "$auth")
    redis-benchmark "${args[@]}" "$@" 2>/dev/null | awk -F'","' 'NR==2 {print $2}'
}

# CPU clock ticks a process used so far, user and system, all threads.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# One table row for a PING test: ROUNDS alternating runs against each server.
ping_row() {
    local test=$1 pipeline=$2 requests=$3 caselog=() redis=() caselog_ticks=0 redis_ticks=0 before _
    for _ in $(seq "$ROUNDS"); do
        before=$(cpu_ticks "$caselog_pid")
        caselog+=("$(rate "$CASELOG_PORT" "$pipeline" "$requests" "" -- -t "$test")")
        caselog_ticks=$((caselog_ticks + $(cpu_ticks "$caselog_pid") - before))
        before=$(cpu_ticks "$redis_pid")
        redis+=("$(rate "$REDIS_PORT" "$pipeline" "$requests" "" -- -t "$test")")
        redis_ticks=$((redis_ticks + $(cpu_ticks "$redis_pid") - before))
    done
    awk -v t="${test^^}" -v p="$pipeline" -v c="${caselog[*]}" -v r="${redis[*]}" \
        -v ct="$caselog_ticks" -v rt="$redis_ticks" -v us="$((1000000 / $(getconf CLK_TCK)))" \
        -v total="$((ROUNDS * requests))" -f "$ROOT/scripts/ratios.awk" -f <(cat <<'AWK'
BEGIN {
    n = split(c, cs, " "); split(r, rs, " ")
    cm = median(cs, n); rm = median(rs, n)
    printf "| %s | %d | %.0f | %.0f | %.2f× | %s | %.2f / %.2f µs |\n",
        t, p, cm, rm, cm / rm, ratios(cs, rs, n), ct * us / total, rt * us / total
}
AWK
    )
}

printf '| test | -P | caselog req/s | redis-server req/s | ratio | round ratios | CPU per request (caselog / redis) |\n'
printf '|---|---:|---:|---:|---:|---:|---:|\n'
for pipeline in 1 16; do
    requests=$((REQUESTS * pipeline))
    for test in ping_inline ping_mbulk; do
        ping_row "$test" "$pipeline" "$requests"
    done
    c=$(rate "$CASELOG_PORT" "$pipeline" "$REQUESTS" "$TOKEN" -- LOG HEAD)
    r=$(rate "$REDIS_PORT" "$pipeline" "$REQUESTS" "" -- GET k)
    awk -v p="$pipeline" -v c="$c" -v r="$r" \
        'BEGIN { printf "| LOG HEAD (redis: GET) | %d | %.0f | %.0f | %.2f× | one round | |\n", p, c, r, c / r }'
done

rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
echo
printf '| server | RSS before (MiB) | RSS with %d idle connections (MiB) | per connection (KiB) |\n|---|---:|---:|---:|\n' "$IDLE"
for server in caselog:$CASELOG_PORT:$caselog_pid redis-server:$REDIS_PORT:$redis_pid; do
    IFS=: read -r name port pid <<<"$server"
    before=$(rss "$pid")
    after=$(python3 - "$port" "$IDLE" "$pid" <<'PY'
import socket, sys, time
port, count, pid = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
held = []
for _ in range(count):
    held.append(socket.create_connection(("127.0.0.1", port)))
held[-1].sendall(b"PING\r\n")
assert held[-1].recv(64).startswith(b"+PONG"), "the server stopped answering"
time.sleep(2)
print(next(int(line.split()[1]) for line in open(f"/proc/{pid}/status") if line.startswith("VmRSS")))
PY
)
    awk -v n="$name" -v b="$before" -v a="$after" -v c="$IDLE" \
        'BEGIN { printf "| %s | %.1f | %.1f | %.1f |\n", n, b / 1024, a / 1024, (a - b) / c }'
done
