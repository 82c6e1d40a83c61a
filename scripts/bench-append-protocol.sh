#!/usr/bin/env bash
# scripts/bench-append-protocol.sh — appends through the admin protocol against raw PostgreSQL.
#
# What: starts a throwaway PostgreSQL cluster (or uses DATABASE_URL) and a caselog server on
# it, then, for each client count, alternates rounds of
#   - stock redis-benchmark sending caselog one kind of append per request:
#       no-stream  STREAM APPEND bench-<random>-<random> no-stream <event>   (a new stream each time)
#       any        STREAM APPEND any-<random> any <event>           (100,000 streams, no version)
#       activity   ACTIVITY LOG ORG cbo-1 KIND canvass ...          (a domain command)
#   - pgbench inserting the same ~300-byte rows one per transaction, at the same client count,
#     into a table with the events table's keys (a bigserial position, a unique uuid, unique
#     (stream, version)),
# and prints, per append kind and client count, the median rates, the ratio of the medians,
# the lowest and highest ratio of one round's pair, and the CPU time per request of the caselog
# process and of PostgreSQL's processes (user and system, all of them) in each.
# (Appends with an exact expected version need a client that tracks each stream's version,
# which redis-benchmark cannot: `caselog bench append` measures those in process.)
#
# Usage: scripts/bench-append-protocol.sh [CLIENTS] [REQUESTS] [ROUNDS] [KINDS]
#   CLIENTS   comma-separated client counts (default 1,16,64,256)
#   REQUESTS  requests per redis-benchmark run (default 20000; 2000 at 1 client)
#   ROUNDS    alternating rounds per kind and client count (default 3)
#   KINDS     comma-separated append kinds (default no-stream,any,activity)
# Env: CASELOG_BIN (default: a release build in .build-release, built if missing)
#      CASELOG_PROJECTIONS=on to run the projection workers in the measured server too (default
#      off: the write path alone; the read models then cost each append their own work)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
IFS=, read -r -a CLIENTS <<<"${1:-1,16,64,256}"
REQUESTS="${2:-20000}"
ROUNDS="${3:-3}"
IFS=, read -r -a KINDS <<<"${4:-no-stream,any,activity}"
CASELOG_PORT=17391
ulimit -n "$(ulimit -Hn)"

# shellcheck source=scripts/bench-setup.sh
source "$ROOT/scripts/bench-setup.sh"
bench_setup bench-append-protocol.sh redis-benchmark redis-cli pgbench psql
CASELOG_PROJECTIONS="${CASELOG_PROJECTIONS:-off}" bench_serve "$CASELOG_PORT"
redis-cli -p "$CASELOG_PORT" -a "$TOKEN" --no-auth-warning ORG REGISTER cbo-1 NAME "Bench" KIND cbo >/dev/null

# The event every append carries: about 300 bytes, as the issue's measurement.
SUMMARY="Residents asked how co-responder teams are dispatched at night and what happens after a call; officers and clinicians answered and agreed to return next month"
EVENT="{\"type\":\"NoteTaken\",\"data\":{\"text\":\"$SUMMARY\",\"author\":\"bench\",\"tags\":[\"bench\",\"append\"]}}"
DATA="{\"text\":\"$SUMMARY\",\"author\":\"bench\",\"tags\":[\"bench\",\"append\"]}"

psql "$DATABASE_URL" -X -q -v ON_ERROR_STOP=1 <<SQL
CREATE TABLE baseline_events (
    position bigserial PRIMARY KEY,
    id uuid NOT NULL UNIQUE,
    stream text NOT NULL,
    version bigint NOT NULL,
    type text NOT NULL,
    data jsonb NOT NULL,
    metadata jsonb NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (stream, version)
);
SQL
cat >"$workdir/insert.sql" <<SQL
\set r random(1, 1000000000)
INSERT INTO baseline_events (id, stream, version, type, data, metadata)
VALUES (gen_random_uuid(), 'bench-' || :r, 0, 'NoteTaken', '$DATA', '{}') ON CONFLICT DO NOTHING;
SQL

# CPU clock ticks used so far, user and system: of the caselog process; of PostgreSQL, every
# live process of the cluster plus what its postmaster has reaped from ended backends.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
postmaster=""
pg_ticks() {
    local total pid
    total=$(awk '{print $16 + $17}' "/proc/$postmaster/stat")
    for pid in $(pgrep -P "$postmaster"); do total=$((total + $(cpu_ticks "$pid"))); done
    echo $((total + $(cpu_ticks "$postmaster")))
}

# requests/s of one redis-benchmark run: caselog_rate CLIENTS REQUESTS KEYSPACE WORDS...
caselog_rate() {
    local clients=$1 requests=$2 keyspace=$3
    shift 3
    # -q prints "<test>: <n> requests per second, …" last (the test's name holds the event's JSON).
    redis-benchmark -p "$CASELOG_PORT" -a "$TOKEN" -c "$clients" -n "$requests" -r "$keyspace" -q "$@" 2>&1 |
        tr '\r' '\n' | tee -a "$workdir/redis-benchmark.log" | awk '/ requests per second/ {
            for (i = 1; i < NF; i++) if ($(i + 1) == "requests") rate = $i
        } END { print rate + 0 }'
}

# The log's head position.
head_position() {
    redis-cli -p "$CASELOG_PORT" -a "$TOKEN" --no-auth-warning LOG HEAD | awk 'previous == "position" {print; exit} {previous = $0}'
}

# Waits (up to 5 s) until the cluster has no more processes than `$1`: ended client backends
# reaped, so that their CPU time is in the postmaster's count.
settle() {
    for _ in $(seq 50); do
        (($(pgrep -c -P "$postmaster") <= $1)) && return
        sleep 0.1
    done
}

# transactions/s of one pgbench run: pg_rate CLIENTS SECONDS
pg_rate() {
    local clients=$1 seconds=$2
    pgbench "$DATABASE_URL" -n -c "$clients" -j 2 -T "$seconds" -f "$workdir/insert.sql" 2>>"$workdir/pgbench.log" |
        awk '/^tps = / {print $3}'
}

# The protocol words of one append kind.
words() {
    case $1 in
    no-stream) echo STREAM APPEND bench-__rand_int__-__rand_int__ no-stream ;;
    any) echo STREAM APPEND any-__rand_int__ any ;;
    activity) echo ACTIVITY LOG ORG cbo-1 KIND canvass OCCURRED_ON 2025-05-01 COMMUNITY_AREA 25 ATTENDANCE 12 SUMMARY ;;
    esac
}

# The cluster's postmaster (it must run on this machine): the first line of its postmaster.pid.
postmaster=$(head -1 "$(psql "$DATABASE_URL" -X -At -c "SHOW data_directory")/postmaster.pid")
first_position=$(head_position)
sent=0
printf '| append | clients | caselog req/s | pgbench tx/s | ratio | round ratios | caselog CPU µs/req (server / PostgreSQL) | pgbench CPU µs/tx (PostgreSQL) |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---:|\n'
us_per_tick=$((1000000 / $(getconf CLK_TCK)))
for kind in "${KINDS[@]}"; do
    for clients in "${CLIENTS[@]}"; do
        requests=$REQUESTS
        ((clients == 1)) && requests=$((REQUESTS / 10))
        read -r -a command <<<"$(words "$kind")"
        # any-<n> within 100,000 streams, so most appends find their stream; bench-<n>-<m> new
        # ones (redis-benchmark stops at an error reply, such as a no-stream append to a stream
        # that two equal random numbers made).
        keyspace=2000000000
        [[ $kind == any ]] && keyspace=100000
        last=("$EVENT")
        [[ $kind == activity ]] && last=("$SUMMARY")
        caselog=() baseline=() server_ticks=0 pg_caselog_ticks=0 pg_baseline_ticks=0 caselog_requests=0 baseline_tx=0
        for _ in $(seq "$ROUNDS"); do
            before=$(cpu_ticks "$caselog_pid") pg_before=$(pg_ticks) start=$(date +%s.%N)
            rate=$(caselog_rate "$clients" "$requests" "$keyspace" "${command[@]}" "${last[@]}")
            seconds=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { d = e - s; print (d < 1 ? 1 : int(d + 0.5)) }')
            server_ticks=$((server_ticks + $(cpu_ticks "$caselog_pid") - before))
            pg_caselog_ticks=$((pg_caselog_ticks + $(pg_ticks) - pg_before))
            caselog_requests=$((caselog_requests + requests))
            sent=$((sent + requests))
            caselog+=("$rate")
            idle=$(pgrep -c -P "$postmaster")
            pg_before=$(pg_ticks)
            tps=$(pg_rate "$clients" "$seconds")
            settle "$idle"
            pg_baseline_ticks=$((pg_baseline_ticks + $(pg_ticks) - pg_before))
            baseline_tx=$(awk -v t="$baseline_tx" -v r="$tps" -v s="$seconds" 'BEGIN { printf "%d", t + r * s }')
            baseline+=("$tps")
        done
        awk -v k="$kind" -v n="$clients" -v c="${caselog[*]}" -v b="${baseline[*]}" -v us="$us_per_tick" \
            -v st="$server_ticks" -v pct="$pg_caselog_ticks" -v pbt="$pg_baseline_ticks" \
            -v cr="$caselog_requests" -v bt="$baseline_tx" -f "$ROOT/scripts/ratios.awk" -f <(cat <<'AWK'
BEGIN {
    count = split(c, cs, " "); split(b, bs, " ")
    cm = median(cs, count); bm = median(bs, count)
    printf "| %s | %d | %.0f | %.0f | %.2f× | %s | %.0f / %.0f | %.0f |\n",
        k, n, cm, bm, cm / bm, ratios(cs, bs, count), st * us / cr, pct * us / cr, (bt > 0 ? pbt * us / bt : 0)
}
AWK
        )
    done
done
appended=$(($(head_position) - first_position))
echo
echo "appended $appended events for $sent requests"
