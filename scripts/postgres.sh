#!/usr/bin/env bash
# scripts/postgres.sh — manage a private PostgreSQL cluster for caselog.
#
# Why: tests, benchmarks and local runs need a real PostgreSQL server that we
# own (port, settings, lifetime), independent of Debian's system cluster
# ("main" on 5432, which we never use). The server runs as the `postgres` user
# (initdb/postgres refuse to run as root) and listens on 127.0.0.1 only.
#
# Usage:
#   scripts/postgres.sh install              install Debian's PostgreSQL if missing
#   scripts/postgres.sh start DATADIR PORT   initdb if needed, start, wait until ready
#   scripts/postgres.sh stop DATADIR         fast shutdown (quiet if not running)
#   scripts/postgres.sh url PORT [DB]        print postgres://postgres@127.0.0.1:PORT/DB
#   scripts/postgres.sh bindir               print the server binaries' folder
#   scripts/postgres.sh createdb PORT DB     create database DB if it does not exist
#
# Settings (see write_conf): max_connections=1000, shared_buffers=256MB,
# fsync=on, synchronous_commit=on, wal_level=replica — durability stays on
# because it is part of what the project measures. Auth is `trust` for local
# TCP connections as superuser `postgres` (no password).
set -euo pipefail

PG_USER=postgres

die() { echo "postgres.sh: $*" >&2; exit 1; }

# The folder holding initdb/pg_ctl/postgres: the highest /usr/lib/postgresql/N/bin
# with an initdb, else `pg_config --bindir` (pg_config needs libpq-dev). Prints
# nothing and returns 1 when PostgreSQL is not installed.
find_bindir() {
    local best="" best_ver=0 dir ver
    for dir in /usr/lib/postgresql/*/bin; do
        [[ -x "$dir/initdb" ]] || continue
        ver="${dir#/usr/lib/postgresql/}"
        ver="${ver%/bin}"
        if [[ "$ver" =~ ^[0-9]+$ ]] && ((ver > best_ver)); then
            best="$dir"
            best_ver="$ver"
        fi
    done
    if [[ -z "$best" ]] && command -v pg_config >/dev/null 2>&1; then
        dir="$(pg_config --bindir 2>/dev/null || true)"
        [[ -n "$dir" && -x "$dir/initdb" ]] && best="$dir"
    fi
    [[ -n "$best" ]] || return 1
    printf '%s\n' "$best"
}

# apt-get update, skipped when the package lists were refreshed in the last hour.
apt_update() {
    if [[ "${1:-}" != force ]] && [[ -n "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mmin -60 -print -quit 2>/dev/null)" ]]; then
        return 0
    fi
    apt-get -qq update
}

# Quiet apt-get install; the full log is shown only on failure. Retries once
# after a forced `apt-get update` (stale lists give 404s).
apt_install() {
    local log
    log="$(mktemp)"
    export DEBIAN_FRONTEND=noninteractive
    if ! { apt_update && apt-get -qq install -y --no-install-recommends "$@"; } >"$log" 2>&1; then
        if ! { apt_update force && apt-get -qq install -y --no-install-recommends "$@"; } >"$log" 2>&1; then
            cat "$log" >&2
            rm -f "$log"
            die "apt-get install $* failed"
        fi
    fi
    rm -f "$log"
}

cmd_install() {
    if find_bindir >/dev/null; then
        return 0
    fi
    [[ "$(id -u)" -eq 0 ]] || die "PostgreSQL is not installed and installing it needs root"
    echo "postgres.sh: installing PostgreSQL (apt-get install postgresql postgresql-contrib)" >&2
    apt_install postgresql postgresql-contrib
    find_bindir >/dev/null || die "PostgreSQL installed but no initdb found under /usr/lib/postgresql/*/bin"
    id "$PG_USER" >/dev/null 2>&1 || die "PostgreSQL installed but user '$PG_USER' is missing"
}

# Run a command as the postgres user (from /, so an unreadable cwd does not matter).
as_pg() {
    if [[ "$(id -un)" == "$PG_USER" ]]; then
        (cd / && "$@")
    else
        (cd / && runuser -u "$PG_USER" -- "$@")
    fi
}

# Absolute path without requiring it to exist.
abspath() {
    local p="$1"
    while [[ "$p" == */ && "$p" != / ]]; do p="${p%/}"; done
    case "$p" in
        /*) printf '%s\n' "$p" ;;
        *) printf '%s/%s\n' "$PWD" "$p" ;;
    esac
}

# Every ancestor of DATADIR must be traversable (x bit) by the postgres user.
check_traversable() {
    local datadir="$1" dir="$1"
    while [[ "$dir" != "/" ]]; do
        dir="$(dirname "$dir")"
        if ! as_pg test -x "$dir"; then
            die "the '$PG_USER' user cannot enter '$dir' (needed for data folder '$datadir').
Use a data folder under /tmp instead, e.g. scripts/postgres.sh start /tmp/caselog-pg PORT,
or make '$dir' traversable (chmod o+x '$dir')."
        fi
    done
}

# Quote a value for postgresql.conf.
conf_quote() { printf "'%s'" "${1//\'/\'\'}"; }

# Settings are kept in DATADIR/caselog.conf, included from postgresql.conf and
# rewritten at every start (so the port can change between runs).
write_conf() {
    local datadir="$1" port="$2" sockdir="$1"
    # A unix socket path is limited to ~107 bytes; with a deep DATADIR fall back
    # to TCP only (all our clients use 127.0.0.1 anyway).
    if (( ${#datadir} + 20 > 107 )); then
        sockdir=""
    fi
    cat >"$datadir/caselog.conf" <<EOF
# Written by scripts/postgres.sh at every start; edits are overwritten.
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = $(conf_quote "$sockdir")
max_connections = 1000
shared_buffers = 256MB
fsync = on
synchronous_commit = on
full_page_writes = on
wal_level = replica
logging_collector = off
log_line_prefix = '%m [%p] '
EOF
    chown "$PG_USER": "$datadir/caselog.conf" 2>/dev/null || true
    if ! grep -q "^include_if_exists = 'caselog.conf'" "$datadir/postgresql.conf"; then
        printf "\n# caselog settings (scripts/postgres.sh)\ninclude_if_exists = 'caselog.conf'\n" >>"$datadir/postgresql.conf"
    fi
}

# Port recorded in postmaster.pid of a running server (line 4), or empty.
running_port() { sed -n 4p "$1/postmaster.pid" 2>/dev/null || true; }

# Process state (R, S, Z, ...) of the PID in DATADIR/postmaster.pid, or empty.
pm_state() {
    local pid
    pid="$(sed -n 1p "$1/postmaster.pid" 2>/dev/null || true)"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 0
    awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true
}

# A postmaster that was killed stays a zombie until it is reaped; pg_ctl and
# postgres itself would take it for a live server. Wait (up to 15 s) for it to go.
wait_zombie() {
    local i
    for ((i = 0; i < 75; i++)); do
        [[ "$(pm_state "$1")" == Z ]] || return 0
        sleep 0.2
    done
    die "the old postmaster of $1 ($(sed -n 1p "$1/postmaster.pid")) is a zombie that is not being reaped"
}

is_running() {
    [[ -f "$1/postmaster.pid" ]] || return 1
    wait_zombie "$1"
    as_pg "$BINDIR/pg_ctl" status -D "$1" >/dev/null 2>&1
}

cmd_start() {
    [[ $# -eq 2 ]] || die "usage: postgres.sh start DATADIR PORT"
    local datadir port locale locales out
    datadir="$(abspath "$1")"
    port="$2"
    [[ "$port" =~ ^[0-9]+$ ]] || die "PORT must be a number, got '$port'"

    cmd_install
    BINDIR="$(find_bindir)"

    mkdir -p "$datadir"
    check_traversable "$datadir"

    if [[ ! -f "$datadir/PG_VERSION" ]]; then
        chown "$PG_USER": "$datadir"
        chmod 700 "$datadir"
        locales="$(locale -a 2>/dev/null || true)"
        if grep -qiE '^c\.utf-?8$' <<<"$locales"; then locale=C.UTF-8; else locale=C; fi
        echo "postgres.sh: initdb $datadir (locale $locale)" >&2
        if ! out="$(as_pg "$BINDIR/initdb" -D "$datadir" -E UTF8 --locale="$locale" \
            --auth=trust -U "$PG_USER" 2>&1)"; then
            printf '%s\n' "$out" >&2
            die "initdb failed"
        fi
    fi

    if is_running "$datadir"; then
        local current
        current="$(running_port "$datadir")"
        if [[ -n "$current" && "$current" != "$port" ]]; then
            die "a server is already running on $datadir but on port $current, not $port"
        fi
        return 0
    fi

    write_conf "$datadir" "$port"
    touch "$datadir/server.log"
    chown "$PG_USER": "$datadir/server.log"
    if ! as_pg "$BINDIR/pg_ctl" start -D "$datadir" -l "$datadir/server.log" -w -t 60 >/dev/null 2>&1; then
        echo "postgres.sh: PostgreSQL failed to start on port $port; last lines of $datadir/server.log:" >&2
        tail -n 30 "$datadir/server.log" >&2 || true
        exit 1
    fi

    # pg_ctl -w already waited; confirm that TCP on 127.0.0.1:PORT answers.
    local deadline=$((SECONDS + 60))
    until "$BINDIR/pg_isready" -q -h 127.0.0.1 -p "$port" -U "$PG_USER" -d postgres; do
        if (( SECONDS >= deadline )); then
            echo "postgres.sh: PostgreSQL not ready on 127.0.0.1:$port after 60 s; last lines of $datadir/server.log:" >&2
            tail -n 30 "$datadir/server.log" >&2 || true
            exit 1
        fi
        sleep 0.2
    done
}

cmd_stop() {
    [[ $# -eq 1 ]] || die "usage: postgres.sh stop DATADIR"
    local datadir
    datadir="$(abspath "$1")"
    BINDIR="$(find_bindir)" || return 0          # not installed: nothing runs
    [[ -f "$datadir/PG_VERSION" ]] || return 0    # no cluster there
    if is_running "$datadir"; then
        as_pg "$BINDIR/pg_ctl" stop -D "$datadir" -m fast -w -t 60 >/dev/null
    fi
}

cmd_url() {
    [[ $# -ge 1 && $# -le 2 ]] || die "usage: postgres.sh url PORT [DB]"
    printf 'postgres://postgres@127.0.0.1:%s/%s\n' "$1" "${2:-postgres}"
}

cmd_bindir() {
    find_bindir || die "PostgreSQL is not installed (run: scripts/postgres.sh install)"
}

cmd_createdb() {
    [[ $# -eq 2 ]] || die "usage: postgres.sh createdb PORT DB"
    local port="$1" db="$2" exists
    BINDIR="$(cmd_bindir)"
    # Variables (:'db') are interpolated only in psql's input, not in -c.
    exists="$("$BINDIR/psql" -h 127.0.0.1 -p "$port" -U "$PG_USER" -d postgres -XtAq \
        -v ON_ERROR_STOP=1 -v db="$db" 2>&1 <<<"SELECT 1 FROM pg_database WHERE datname = :'db';")" \
        || die "cannot query 127.0.0.1:$port: $exists"
    if [[ "$exists" != 1 ]]; then
        "$BINDIR/createdb" -h 127.0.0.1 -p "$port" -U "$PG_USER" "$db"
    fi
}

main() {
    local cmd="${1:-}"
    [[ $# -gt 0 ]] && shift
    case "$cmd" in
        install) cmd_install "$@" ;;
        start) cmd_start "$@" ;;
        stop) cmd_stop "$@" ;;
        url) cmd_url "$@" ;;
        bindir) cmd_bindir "$@" ;;
        createdb) cmd_createdb "$@" ;;
        *)
            sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
            exit 2
            ;;
    esac
}

main "$@"
