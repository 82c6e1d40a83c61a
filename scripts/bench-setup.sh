# scripts/bench-setup.sh — what the benchmark scripts share, sourced by them (not run alone).
#
# bench_setup NAME TOOLS...  checks the tools, builds caselog (release) unless CASELOG_BIN is
#                            set, makes $workdir (removed on exit with everything started here),
#                            starts a throwaway PostgreSQL cluster on the first free port from
#                            55600 unless DATABASE_URL is set, migrates, and sets TOKEN (an admin).
# bench_serve PORT           starts `caselog serve` on PORT (environment from the caller, e.g.
#                            CASELOG_PROJECTIONS) and waits until it answers PING; sets caselog_pid.
# bench_track PID            stops PID on exit too.

bench_setup() {
    BENCH_NAME=$1
    shift
    if [[ -z "${CASELOG_BIN:-}" ]]; then
        echo "==> building caselog (release)" >&2
        (cd "$ROOT" && swift build -c release --product caselog --scratch-path .build-release >&2)
        CASELOG_BIN="$ROOT/.build-release/release/caselog"
    fi
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null || { echo "$BENCH_NAME: needs $tool" >&2; exit 1; }
    done
    pids=()
    workdir="$(mktemp -d /tmp/caselog-bench.XXXXXX)"
    chmod 755 "$workdir"
    trap bench_cleanup EXIT
    if [[ -z "${DATABASE_URL:-}" ]]; then
        # scripts/test.sh takes 55432-55531.
        local port=55600
        until ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && bash "$ROOT/scripts/postgres.sh" start "$workdir/pg" "$port" >&2; do
            port=$((port + 1))
            ((port < 55700)) || { echo "$BENCH_NAME: no free port in 55600-55699" >&2; exit 1; }
        done
        bash "$ROOT/scripts/postgres.sh" createdb "$port" bench >&2
        DATABASE_URL="$(bash "$ROOT/scripts/postgres.sh" url "$port" bench)"
    fi
    export DATABASE_URL
    "$CASELOG_BIN" migrate >/dev/null 2>&1
    TOKEN="$("$CASELOG_BIN" user add "bench$RANDOM" --role admin | tail -1 | awk '{print $NF}')"
}

bench_track() { pids+=("$1"); }

bench_serve() {
    local port=$1
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "$BENCH_NAME: port $port is taken (an earlier run's server?)" >&2
        exit 1
    fi
    CASELOG_PORT=$port CASELOG_LOG_LEVEL=warning "$CASELOG_BIN" serve >"$workdir/caselog.log" 2>&1 &
    caselog_pid=$!
    bench_track "$caselog_pid"
    for _ in $(seq 100); do
        redis-cli -p "$port" PING >/dev/null 2>&1 && break
        sleep 0.1
    done
    kill -0 "$caselog_pid" 2>/dev/null || { echo "$BENCH_NAME: caselog did not start; see its log" >&2; exit 1; }
}

bench_cleanup() {
    tail -n 3 "$workdir"/*.log >&2 2>/dev/null || true
    local pid
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    [[ -d "$workdir/pg" ]] && bash "$ROOT/scripts/postgres.sh" stop "$workdir/pg" >/dev/null 2>&1 || true
    rm -rf "$workdir"
}
