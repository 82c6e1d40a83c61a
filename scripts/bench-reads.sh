#!/usr/bin/env bash
# scripts/bench-reads.sh — read-model queries through the admin protocol as the history grows.
#
# What: starts a throwaway PostgreSQL cluster (or uses the cluster of DATABASE_URL), and for each
# history size a database `caselog_reads_<size>` holding a demo history of that many events
# (`caselog demo --events SIZE --if-empty`: made once, kept while the cluster lives); serves
# each with `caselog serve` (projection workers on), waits until every read model has caught
# up with the log, then sends each query below from stock redis-benchmark (CLIENTS connections,
# REQUESTS requests) and prints one table, the sizes side by side: requests/s and p50/p99 ms per
# query, and the query's rate as a share of PING's on the same server in the same run (the
# protocol's own floor).
#
# Usage: scripts/bench-reads.sh [SIZES] [REQUESTS] [CLIENTS]
#   SIZES     comma-separated history sizes in events (default 10000,100000,1000000)
#   REQUESTS  at most this many requests per query and size (default 2000; fewer for a slow
#             query, sized by a probe of 20 to take about 20 s, at least 100)
#   CLIENTS   redis-benchmark connections (default 16)
# Env: CASELOG_BIN (default: a release build in .build-release, built if missing)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
IFS=, read -r -a SIZES <<<"${1:-10000,100000,1000000}"
REQUESTS="${2:-2000}"
CLIENTS="${3:-16}"
PORT=17460
for number in "${SIZES[@]}" "$REQUESTS" "$CLIENTS"; do
    [[ "$number" =~ ^[1-9][0-9]*$ ]] || {
        echo "bench-reads: '$number' is not a positive whole number (usage: scripts/bench-reads.sh [SIZES] [REQUESTS] [CLIENTS])" >&2
        exit 2
    }
done

# shellcheck source=scripts/bench-setup.sh
source "$ROOT/scripts/bench-setup.sh"
bench_setup bench-reads redis-benchmark redis-cli psql
cluster="${DATABASE_URL%/*}"

# Each query as redis-benchmark sends it; HEAD_HALF stands for half the log's head position.
QUERIES=(
    "PING"
    "COMMITMENT LIST OVERDUE LIMIT 50"
    "COMMITMENT LIST OVERDUE ON 2025-06-30 LIMIT 50"
    "COMMITMENT LIST OVERDUE AS-OF HEAD_HALF LIMIT 50"
    "COMMITMENT LIST ORG cbo-3 STATUS open LIMIT 50"
    "FOLLOWUP LIST LIMIT 50"
    "CASE LIST LIMIT 50"
    "ACTIVITY LIST ORG cbo-2 LIMIT 50"
    "ACTIVITY STATS BY area"
    "ACTIVITY STATS BY month SINCE 2025-01-01"
)
declare -A rate p50 p99

# Waits until every projection's lag is 0 events.
wait_for_read_models() {
    local lags
    for _ in $(seq 3600); do
        lags="$(redis-cli -p "$PORT" -a "$TOKEN" --no-auth-warning PROJECTION STATUS |
            awk 'previous == "lag_events" { print } { previous = $0 }')"
        [[ -n "$lags" ]] && ! grep -qv '^0$' <<<"$lags" && return 0
        sleep 1
    done
    echo "bench-reads: the read models did not catch up within an hour" >&2
    exit 1
}

# One redis-benchmark run of QUERY with CLIENTS connections and COUNT requests: its CSV fields
# (test, rps, avg, min, p50, p95, p99, max) without quotes.
run_query() {
    local line
    # shellcheck disable=SC2086 # the query's words are redis-benchmark's arguments
    line="$(redis-benchmark -p "$PORT" -a "$TOKEN" -c "$2" -n "$3" --csv ${1/HEAD_HALF/$((head / 2))} 2>/dev/null |
        tail -1)"
    echo "${line//\"/}"
}

for size in "${SIZES[@]}"; do
    database="caselog_reads_$size"
    psql "$cluster/postgres" -qc "CREATE DATABASE $database" 2>/dev/null || true
    export DATABASE_URL="$cluster/$database"
    "$CASELOG_BIN" migrate >/dev/null 2>&1
    echo "==> $size events: caselog demo --events $size --if-empty" >&2
    "$CASELOG_BIN" demo --events "$size" --if-empty >"$workdir/demo.log" 2>&1 ||
        { cat "$workdir/demo.log" >&2; exit 1; }
    TOKEN="$("$CASELOG_BIN" user add "reads$RANDOM" --role admin | tail -1 | awk '{print $NF}')"
    bench_serve "$PORT"
    wait_for_read_models
    head="$(redis-cli -p "$PORT" -a "$TOKEN" --no-auth-warning LOG HEAD | sed -n 2p)"
    echo "    log head $head; read models caught up" >&2
    for query in "${QUERIES[@]}"; do
        # A probe of 20 requests sizes the run to about 20 s (at most REQUESTS, at least 100).
        probe="$(run_query "$query" 1 20)"
        IFS=, read -r _ r _ <<<"$probe"
        count="$(awk -v r="$r" -v c="$CLIENTS" -v max="$REQUESTS" \
            'BEGIN { n = int(r * 20 * (c < 2 ? 1 : 2)); if (n > max) n = max; if (n < 100) n = 100; print n }')"
        IFS=, read -r _ r _ _ median _ high _ <<<"$(run_query "$query" "$CLIENTS" "$count")"
        rate["$size,$query"]=$r
        p50["$size,$query"]=$median
        p99["$size,$query"]=$high
        printf '    %-50s %8.0f req/s  p50 %8.2f ms  p99 %8.2f ms  (%d requests)\n' \
            "$query" "$r" "$median" "$high" "$count" >&2
    done
    kill "$caselog_pid"
    wait "$caselog_pid" 2>/dev/null || true
    PORT=$((PORT + 1))
done

header="| query |"
rule="|---|"
for size in "${SIZES[@]}"; do
    header+=" $size events: req/s | p50 / p99 ms | × PING |"
    rule+="---:|---:|---:|"
done
echo
echo "$CLIENTS clients, $REQUESTS requests per query (stock redis-benchmark)"
echo
echo "$header"
echo "$rule"
for query in "${QUERIES[@]}"; do
    row="| \`$query\` |"
    for size in "${SIZES[@]}"; do
        row+="$(awk -v r="${rate[$size,$query]}" -v ping="${rate[$size,PING]}" -v a="${p50[$size,$query]}" \
            -v b="${p99[$size,$query]}" 'BEGIN { printf " %.0f | %.2f / %.2f | %.3f× |", r, a, b, r / ping }')"
    done
    echo "$row"
done
