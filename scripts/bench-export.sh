#!/usr/bin/env bash
# scripts/bench-export.sh — the users' file tools (export, offline verify, import) against
# PostgreSQL's COPY and sha256sum.
#
# What: starts a throwaway PostgreSQL cluster (or uses DATABASE_URL) and a caselog server on it
# (release build, no projection workers), fills the log with EVENTS ~300-byte events through the
# protocol (stock redis-benchmark) when it holds fewer, then alternates ROUNDS rounds of
#   - `caselog export -o FILE` (JSON lines, over the admin protocol) against
#     `psql -c "COPY (SELECT * FROM events ORDER BY position) TO STDOUT"` of the same rows;
#   - `caselog verify --file FILE` (offline: every event's hash recomputed) against
#     `sha256sum` over the same file;
#   - `caselog import FILE --kind activities --chunk 10000` of IMPORT new activity rows against
#     `COPY … FROM` of the same number of event rows (~250-byte data) into a table with the
#     events table's keys;
# and prints the median seconds of each, the ratio of the rates (caselog / baseline) and the
# range of one round's ratios.
#
# Usage: scripts/bench-export.sh [EVENTS] [ROUNDS] [IMPORT]
#   EVENTS  events the log should hold (default 1000000)
#   ROUNDS  alternating rounds (default 3)
#   IMPORT  activity rows each import round appends (default 100000; 0: no import rounds)
# Env: CASELOG_BIN (default: a release build in .build-release, built if missing)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PG="$ROOT/scripts/postgres.sh"
EVENTS="${1:-1000000}"
ROUNDS="${2:-3}"
IMPORT="${3:-100000}"
CASELOG_PORT=17393
PG_PORT=55600

if [[ -z "${CASELOG_BIN:-}" ]]; then
    echo "==> building caselog (release)" >&2
    (cd "$ROOT" && swift build -c release --product caselog --scratch-path .build-release >&2)
    CASELOG_BIN="$ROOT/.build-release/release/caselog"
fi
for tool in redis-benchmark redis-cli psql sha256sum; do
    command -v "$tool" >/dev/null || { echo "bench-export.sh: needs $tool" >&2; exit 1; }
done

pids=()
workdir="$(mktemp -d /tmp/caselog-bench.XXXXXX)"
chmod 755 "$workdir"
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    [[ -d "$workdir/pg" ]] && bash "$PG" stop "$workdir/pg" >/dev/null 2>&1 || true
    rm -rf "$workdir"
}
trap cleanup EXIT

if [[ -z "${DATABASE_URL:-}" ]]; then
    # The first free port from 55600 (scripts/test.sh takes 55432-55531).
    until ! (exec 3<>"/dev/tcp/127.0.0.1/$PG_PORT") 2>/dev/null && bash "$PG" start "$workdir/pg" "$PG_PORT" >&2; do
        PG_PORT=$((PG_PORT + 1))
        ((PG_PORT < 55700)) || { echo "bench-export.sh: no free port in 55600-55699" >&2; exit 1; }
    done
    bash "$PG" createdb "$PG_PORT" bench >&2
    DATABASE_URL="$(bash "$PG" url "$PG_PORT" bench)"
fi
export DATABASE_URL
"$CASELOG_BIN" migrate >/dev/null 2>&1
TOKEN="$("$CASELOG_BIN" user add "bench$RANDOM" --role admin | tail -1 | awk '{print $NF}')"
if (exec 3<>"/dev/tcp/127.0.0.1/$CASELOG_PORT") 2>/dev/null; then
    echo "bench-export.sh: port $CASELOG_PORT is taken (an earlier run's server?)" >&2
    exit 1
fi
CASELOG_PROJECTIONS=off CASELOG_PORT=$CASELOG_PORT CASELOG_LOG_LEVEL=warning "$CASELOG_BIN" serve \
    >"$workdir/caselog.log" 2>&1 &
pids+=("$!")
for _ in $(seq 100); do
    redis-cli -p "$CASELOG_PORT" PING >/dev/null 2>&1 && break
    sleep 0.1
done

head_position() {
    redis-cli -p "$CASELOG_PORT" -a "$TOKEN" --no-auth-warning LOG HEAD | awk 'previous == "position" {print; exit} {previous = $0}'
}
missing=$((EVENTS - $(head_position)))
if ((missing > 0)); then
    echo "==> appending $missing events through the protocol" >&2
    SUMMARY="Residents asked how co-responder teams are dispatched at night and what happens after a call; officers and clinicians answered and agreed to return next month"
    redis-benchmark -p "$CASELOG_PORT" -a "$TOKEN" -c 64 -n "$missing" -r 2000000000 -q \
        STREAM APPEND note-__rand_int__-__rand_int__ no-stream \
        "{\"type\":\"NoteTaken\",\"data\":{\"text\":\"$SUMMARY\",\"tags\":[\"bench\"]}}" >/dev/null 2>&1
fi
head=$(head_position)
echo "==> the log holds $head events" >&2

# Seconds one command takes: seconds COMMAND...
seconds() {
    local start
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.3f", e - s }'
}

export_times=() copy_times=() verify_times=() sha_times=()
for _ in $(seq "$ROUNDS"); do
    export_times+=("$(seconds "$CASELOG_BIN" export --server "127.0.0.1:$CASELOG_PORT" --token "$TOKEN" -o "$workdir/history.jsonl")")
    copy_times+=("$(seconds sh -c "psql '$DATABASE_URL' -X -q -c 'COPY (SELECT * FROM events ORDER BY position) TO STDOUT' > '$workdir/copy.tsv'")")
    verify_times+=("$(seconds "$CASELOG_BIN" verify --file "$workdir/history.jsonl")")
    sha_times+=("$(seconds sha256sum "$workdir/history.jsonl")")
done
"$CASELOG_BIN" verify --file "$workdir/history.jsonl" >/dev/null 2>&1 || { echo "bench-export.sh: the export did not verify" >&2; exit 1; }
bytes=$(stat -c %s "$workdir/history.jsonl")

printf '| %d events (%d MB of JSON lines) | caselog s | baseline s | rate ratio | round ratios |\n' "$head" $((bytes / 1000000))
printf '|---|---:|---:|---:|---:|\n'
row() {
    # Rates are events per second, so the ratio of rates is baseline seconds / caselog seconds.
    awk -v name="$1" -v c="$2" -v b="$3" -f "$ROOT/scripts/ratios.awk" -f <(cat <<'AWK'
BEGIN {
    n = split(c, cs, " "); split(b, bs, " ")
    printf "| %s | %.2f | %.2f | %.2f× | %s |\n", name, median(cs, n), median(bs, n), median(bs, n) / median(cs, n), ratios(bs, cs, n)
}
AWK
    )
}
row "export (baseline: psql COPY … ORDER BY position)" "${export_times[*]}" "${copy_times[*]}"
row "verify --file (baseline: sha256sum of the file)" "${verify_times[*]}" "${sha_times[*]}"
((IMPORT > 0)) || exit 0

redis-cli -p "$CASELOG_PORT" -a "$TOKEN" --no-auth-warning ORG REGISTER cbo-1 NAME Bench KIND cbo >/dev/null
psql "$DATABASE_URL" -X -q -v ON_ERROR_STOP=1 -c "
    CREATE TABLE IF NOT EXISTS baseline_events (
        position bigserial PRIMARY KEY, id uuid NOT NULL UNIQUE, stream text NOT NULL,
        version bigint NOT NULL, type text NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(), UNIQUE (stream, version))"
import_times=() load_times=()
for round in $(seq "$ROUNDS"); do
    # Rows no earlier round imported (an import derives each row's id from its values).
    awk -v n="$IMPORT" -v r="$round$RANDOM" 'BEGIN {
        print "org,kind,occurred_on,community_area,attendance,themes,summary"
        for (i = 1; i <= n; i++)
            printf "cbo-1,canvass,2025-05-%02d,%d,%d,trust,\"Door-to-door conversation %s-%d about co-responder teams\"\n", i % 28 + 1, i % 77 + 1, i % 40, r, i
    }' >"$workdir/activities.csv"
    awk -v n="$IMPORT" -v r="$round$RANDOM" 'BEGIN {
        for (i = 1; i <= n; i++) {
            id = sprintf("%08x-%04x-4000-8000-%012x", r, 0, i)
            printf "%s\tactivity-%s\t0\tActivityLogged\t{\"org\": \"cbo-1\", \"kind\": \"canvass\", \"occurred_on\": \"2025-05-%02d\", \"community_area\": {\"number\": %d, \"name\": \"Austin\"}, \"attendance\": %d, \"themes\": [\"trust\"], \"summary\": \"Door-to-door conversation %s-%d about co-responder teams\", \"schema\": 2}\t{}\n", id, id, i % 28 + 1, i % 77 + 1, i % 40, r, i
        }
    }' >"$workdir/rows.tsv"
    before=$(head_position)
    import_times+=("$(seconds "$CASELOG_BIN" import "$workdir/activities.csv" --kind activities --chunk 10000 \
        --server "127.0.0.1:$CASELOG_PORT" --token "$TOKEN")")
    (($(head_position) == before + IMPORT)) || { echo "bench-export.sh: the import did not append $IMPORT rows" >&2; exit 1; }
    load_times+=("$(seconds psql "$DATABASE_URL" -X -q -c "\\copy baseline_events (id, stream, version, type, data, metadata) FROM '$workdir/rows.tsv'")")
done
printf '\n| %d activity rows per round | caselog s | baseline s | rate ratio | round ratios |\n|---|---:|---:|---:|---:|\n' "$IMPORT"
row "import --chunk 10000 (baseline: COPY into an events-shaped table)" "${import_times[*]}" "${load_times[*]}"
