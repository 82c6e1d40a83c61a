#!/usr/bin/env bash
# scripts/run.sh — build and run the caselog server locally (the README's run command).
#
# What: unless DATABASE_URL is already set, starts the project's private
# PostgreSQL cluster in <repo>/.data/postgres on port ${CASELOG_PG_PORT:-54329}
# (kept between runs; installs PostgreSQL if missing) with a `caselog`
# database; builds (release if CASELOG_RELEASE=1, else debug) and prints where
# the `caselog` binary is; runs `caselog migrate`; on an empty log, generates a
# demo history of ${CASELOG_DEMO_EVENTS:-2000} events with `caselog demo` (0:
# none); then execs `caselog serve` with any extra arguments.
# On the embedded cluster, migrate and demo run as the owner (`postgres`) and
# serve connects as `caselog_service`, a LOGIN role that is only a member of
# `caselog_app` (db/service-role.sql, applied here after every migrate), so the
# serving process cannot alter the log or switch its triggers off. With
# DATABASE_URL set, every step uses that URL.
# Why: one command from a fresh checkout to a running server.
#
# The cluster keeps running after the server exits. Stop it with:
#   scripts/postgres.sh stop .data/postgres
#
# Usage: scripts/run.sh [caselog serve args...]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PG="$ROOT/scripts/postgres.sh"
cd "$ROOT"

SERVICE_ROLE=caselog_service
SERVICE_URL=""
if [[ -z "${DATABASE_URL:-}" ]]; then
    port="${CASELOG_PG_PORT:-54329}"
    echo "==> starting PostgreSQL in .data/postgres on port $port" >&2
    bash "$PG" start "$ROOT/.data/postgres" "$port"
    bash "$PG" createdb "$port" caselog
    DATABASE_URL="$(bash "$PG" url "$port" caselog)"
    SERVICE_URL="postgres://$SERVICE_ROLE@127.0.0.1:$port/caselog"
fi
export DATABASE_URL

build_flags=()
if [[ "${CASELOG_RELEASE:-0}" == 1 ]]; then
    build_flags=(-c release)
fi
echo "==> building (swift build ${build_flags[*]})" >&2
swift build "${build_flags[@]}"
BIN="$(swift build --show-bin-path "${build_flags[@]}")/caselog"
echo "==> the caselog binary is $BIN" >&2

echo "==> migrating ($DATABASE_URL)" >&2
"$BIN" migrate
if [[ -n "$SERVICE_URL" ]]; then
    echo "==> service role $SERVICE_ROLE (member of caselog_app only)" >&2
    "$(bash "$PG" bindir)/psql" "$DATABASE_URL" -X -q -v ON_ERROR_STOP=1 -v role="$SERVICE_ROLE" \
        -f "$ROOT/db/service-role.sql"
fi
demo_events="${CASELOG_DEMO_EVENTS:-2000}"
if [[ "$demo_events" != 0 ]]; then
    echo "==> demo history of $demo_events events, if the log is empty (CASELOG_DEMO_EVENTS=0: none)" >&2
    "$BIN" demo --events "$demo_events" --if-empty ||
        echo "==> the demo history is incomplete (see above); serving anyway" >&2
fi
echo "==> serving (${SERVICE_URL:-$DATABASE_URL})" >&2
DATABASE_URL="${SERVICE_URL:-$DATABASE_URL}" exec "$BIN" serve "$@"
