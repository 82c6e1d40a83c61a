#!/usr/bin/env bash
# scripts/test.sh — the project's single test command (CI runs it via .ci/run).
#
# What: installs what the tests need (PostgreSQL, redis-server/redis-cli, Chromium, the
# Python `redis` client), starts a throwaway PostgreSQL cluster on a free port
# (removed again on exit, also on failure or Ctrl-C), builds once, then runs
# `swift test --skip-build` with the environment the tests read:
#   DATABASE_URL           superuser URL of the cluster (database `postgres`)
#   CASELOG_BIN            path of the built `caselog` executable
#   CASELOG_TEST_PG_PORT   the cluster's port
# Why: tests need a real server; a private, disposable cluster keeps runs
# independent of each other and of any system PostgreSQL.
#
# Usage: scripts/test.sh [swift test args...]     e.g. scripts/test.sh --filter Chain
# Env:   DATABASE_URL      if set, use that server and start no cluster
#        SWIFT_BUILD_FLAGS extra flags for both `swift build` and `swift test`
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PG="$ROOT/scripts/postgres.sh"
START_TIME=$SECONDS
PG_DIR=""

log() { echo "==> $*"; }

# Runs on every exit: stop and remove the throwaway cluster, report wall time.
# shellcheck disable=SC2317  # invoked via trap
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ -n "$PG_DIR" ]]; then
        bash "$PG" stop "$PG_DIR" >/dev/null 2>&1 || true
        rm -rf "$PG_DIR"
    fi
    log "total wall time $((SECONDS - START_TIME)) s (exit $rc)"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Quiet apt-get install with a single `apt-get update` per run; log shown on failure.
APT_UPDATED=0
apt_install() {
    local out
    export DEBIAN_FRONTEND=noninteractive
    if [[ "$APT_UPDATED" == 0 ]]; then
        out="$(apt-get -qq update 2>&1)" || { echo "$out" >&2; return 1; }
        APT_UPDATED=1
    fi
    out="$(apt-get -qq install -y --no-install-recommends "$@" 2>&1)" || { echo "$out" >&2; return 1; }
}

# ---- (a) system and Python packages the tests need -------------------------
bash "$PG" install

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if ((${#missing[@]})); then
    log "installing ${missing[*]} (apt)"
    apt_install "${missing[@]}"
fi

if ! python3 -c 'import redis' >/dev/null 2>&1; then
    log "installing the Python redis client (pip)"
    if ! python3 -m pip --version >/dev/null 2>&1; then
        apt_install python3-pip
    fi
    # A Debian-managed python3 refuses plain pip installs (PEP 668): retry with
    # --break-system-packages there.
    python3 -m pip install --quiet --disable-pip-version-check 'redis>=5' 2>/dev/null ||
        python3 -m pip install --quiet --disable-pip-version-check --break-system-packages 'redis>=5'
    python3 -c 'import redis' || { echo "test.sh: python3 still cannot import redis" >&2; exit 1; }
fi

# ---- (b) a throwaway PostgreSQL cluster, unless DATABASE_URL is given -------
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if [[ -n "${DATABASE_URL:-}" ]]; then
    log "using DATABASE_URL from the environment; no throwaway cluster"
    if [[ -z "${CASELOG_TEST_PG_PORT:-}" ]]; then
        # Best effort: the port in scheme://[user[:pw]@]host:PORT/...
        port="$(sed -nE 's#^[a-z]+://([^@/]*@)?[^:/]+:([0-9]+)([/?].*)?$#\2#p' <<<"$DATABASE_URL")"
        export CASELOG_TEST_PG_PORT="${port:-5432}"
    fi
else
    PG_DIR="$(mktemp -d /tmp/caselog-test-pg.XXXXXX)"
    port=55432
    # A port that looked free can still be taken by the time the server binds it (another
    # cluster stopping, another run starting): then try the next one.
    until ! port_in_use "$port" && bash "$PG" start "$PG_DIR" "$port"; do
        port=$((port + 1))
        ((port < 55532)) || { echo "test.sh: no free port in 55432..55531" >&2; exit 1; }
    done
    log "started throwaway PostgreSQL on port $port ($PG_DIR)"
    DATABASE_URL="$(bash "$PG" url "$port" postgres)"
    export DATABASE_URL
    export CASELOG_TEST_PG_PORT="$port"
fi

# ---- (c) build once -------------------------------------------------------
cd "$ROOT"
read -r -a build_flags <<<"${SWIFT_BUILD_FLAGS:-}"
log "building (swift build --build-tests ${build_flags[*]})"
swift build --build-tests "${build_flags[@]}"

# ---- (d) environment for the tests -----------------------------------------
CASELOG_BIN="$(swift build --show-bin-path "${build_flags[@]}")/caselog"
export CASELOG_BIN

# ---- (e) run the tests (no --parallel: the tests share one cluster) --------
log "testing (DATABASE_URL=$DATABASE_URL)"
rc=0
swift test --skip-build "${build_flags[@]}" "$@" || rc=$?
exit "$rc"
