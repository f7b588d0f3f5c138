#!/usr/bin/env bash
# A stand-in for many hosts on one machine: PostgreSQL, Redis and N CollabCanvas instances (Backend:Provider=Postgres)
# behind nginx, every server on loopback and every file in one temporary directory. Ctrl+C, or any exit, stops them all
# and removes the directory.
#   deploy/postgres-cluster.sh 3                          3 instances behind http://127.0.0.1:8080
#   FROM_SQLITE=./data deploy/postgres-cluster.sh 3       first moves that SQLite installation in (migrate-to-postgres)
# Settings (environment): PORT (nginx, 8080), BASE_PORT (first instance, 5101), PG_PORT (5433), REDIS_PORT (6380),
# NO_REDIS=1 (the instances wake each other with LISTEN/NOTIFY instead), MAX_POOL_SIZE (connections per instance, 50),
# PG_OPTIONS (more server settings, e.g. "-c shared_preload_libraries=pg_stat_statements"),
# COLLABCANVAS_DLL (a built server; default: build Release). The instances and nginx are deploy/local-cluster.sh's.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
count="${1:?usage: postgres-cluster.sh N}"
pg_port="${PG_PORT:-5433}"
redis_port="${REDIS_PORT:-6380}"
pool="${MAX_POOL_SIZE:-50}"
pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -x "$pg_bin/initdb" ] || { echo "PostgreSQL is missing: apt-get install postgresql" >&2; exit 1; }
[ -n "${NO_REDIS:-}" ] || command -v redis-server >/dev/null || { echo "Redis is missing: apt-get install redis-server" >&2; exit 1; }

dll="${COLLABCANVAS_DLL:-}"
if [ -z "$dll" ]; then
    dotnet build "$root/src/CollabCanvas.Server" -c Release --nologo -v quiet >/dev/null
    dll="$root/src/CollabCanvas.Server/bin/Release/net10.0/CollabCanvas.Server.dll"
fi

tmp="$(mktemp -d /tmp/collabcanvas-cluster-XXXXXX)"
chmod 755 "$tmp" # PostgreSQL's user must reach its folder inside
# PostgreSQL refuses to run as root: then it runs as the postgres user of the Debian package.
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
stop() {
    trap - EXIT INT TERM
    if [ -n "${sleeper:-}" ]; then kill "$sleeper" 2>/dev/null || true; fi
    RUN_DIR="$tmp/run" "$root/deploy/local-cluster.sh" stop >/dev/null 2>&1 || true
    if [ -f "$tmp/redis.pid" ]; then kill "$(cat "$tmp/redis.pid")" 2>/dev/null || true; fi
    as_postgres "$pg_bin/pg_ctl" stop --pgdata "$tmp/postgres/data" --mode fast --wait >/dev/null 2>&1 || true
    rm -rf "$tmp"
    echo "stopped; removed $tmp"
}
trap stop EXIT
trap 'exit 130' INT TERM

# PostgreSQL: password authentication over TCP, as between real hosts; room for every instance's pool.
mkdir -p "$tmp/postgres"
password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
echo "$password" >"$tmp/postgres/password"
[ "$(id -u)" = 0 ] && chown -R postgres: "$tmp/postgres"
as_postgres "$pg_bin/initdb" --pgdata "$tmp/postgres/data" --username postgres --pwfile "$tmp/postgres/password" \
    --auth-host scram-sha-256 --auth-local trust --encoding UTF8 --locale C >"$tmp/postgres/initdb.log"
as_postgres "$pg_bin/pg_ctl" start --pgdata "$tmp/postgres/data" --wait --log "$tmp/postgres/server.log" \
    -o "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories='$tmp/postgres' -c max_connections=$((count * (pool + 5) + 10)) ${PG_OPTIONS:-}" >/dev/null
as_postgres "$pg_bin/createdb" --host "$tmp/postgres" --port "$pg_port" --username postgres collabcanvas
export CollabCanvas__Backend__Postgres__ConnectionString="Host=127.0.0.1;Port=$pg_port;Database=collabcanvas;Username=postgres;Password=$password"
export CollabCanvas__Backend__Postgres__MaxPoolSize="$pool"

if [ -z "${NO_REDIS:-}" ]; then
    mkdir -p "$tmp/redis"
    redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$tmp/redis" --save '' --appendonly no \
        --logfile "$tmp/redis/redis.log" --daemonize no &
    echo $! >"$tmp/redis.pid"
    for _ in $(seq 100); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
    export CollabCanvas__Backend__Redis__Configuration="127.0.0.1:$redis_port"
fi

if [ -n "${FROM_SQLITE:-}" ]; then
    dotnet "$dll" migrate-to-postgres --from "$FROM_SQLITE"
fi

# The instances share one data directory: with PostgreSQL it holds only the Data Protection keys, which real hosts
# must share too (docs/deployment.md).
PROVIDER=Postgres RUN_DIR="$tmp/run" DATA_DIR="$tmp/data" COLLABCANVAS_DLL="$dll" DETACH=1 "$root/deploy/local-cluster.sh" "$count"
for i in $(seq 1 "$count"); do
    curl -sf "http://127.0.0.1:$((${BASE_PORT:-5101} + i - 1))/readyz" >/dev/null \
        || { echo "instance $i is not ready; its log ends:" >&2; tail -n 20 "$tmp/run/instance-$i.log" >&2; exit 1; }
done
echo "PostgreSQL on 127.0.0.1:$pg_port (database collabcanvas, password in $tmp/postgres/password)"
if [ -z "${NO_REDIS:-}" ]; then echo "Redis on 127.0.0.1:$redis_port"; else echo "no Redis: LISTEN/NOTIFY"; fi
echo "Ctrl+C stops everything"
# wait, unlike a foreground sleep, returns as soon as a signal arrives, so the trap runs at once.
while :; do sleep 3600 & sleeper=$!; wait "$sleeper"; done
