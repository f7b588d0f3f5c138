#!/usr/bin/env bash
# Runs one benchmark scenario against a fresh Release server with its own data directory.
#   bench/run.sh connections --count 10000 --canvases 100
#   bench/run.sh fanout --clients 1000 --canvases 50 --rate 5 --seconds 20
#   bench/run.sh durable --clients 50 --canvases 1 --window 4 --seconds 10
#   bench/run.sh ai --count 500
#   bench/run.sh revoke --count 200
#   bench/run.sh join --count 10000 --joins 200      (a canvas nobody has open: SERVER_ARGS="--CollabCanvas:Realtime:IdleRoomSeconds=0")
#   bench/run.sh history --count 100000 --joins 200  (then prints the storage the history took)
#   bench/run.sh editor-big --count 10000 --rounds 3 (the editor in Chromium; SCREENSHOTS=dir keeps pictures, PROFILE=1 prints CPU profiles, TRACE=dir keeps Chromium traces of the remote changes)
#   bench/run.sh restore --count 10000 --rounds 3  (restore of a version of 10,000 objects: REST call to applied by another client)
#   bench/run.sh editor-playback --count 10000 --rounds 3 (playback of 10,000 batches in Chromium; SCREENSHOTS=dir keeps a picture)
# Extra server settings: SERVER_ARGS="--CollabCanvas:Synchronous=NORMAL" bench/run.sh durable ...
# On PostgreSQL + Redis (throwaway servers of the Debian packages in the run's directory; PostgreSQL with fsync on):
#   PROVIDER=Postgres bench/run.sh durable --clients 50 --canvases 50 --window 4 --seconds 10
#   PG_OPTIONS="-c shared_preload_libraries=pg_stat_statements" adds settings to that PostgreSQL (statement statistics)
# Another build of the server (a before/after comparison): SERVER_DLL=/tmp/before/.../CollabCanvas.Server.dll
# and, for the editor, its wwwroot: SERVER_CONTENT_ROOT=/tmp/before/src/CollabCanvas.Server
set -euo pipefail
cd "$(dirname "$0")/.."
scenario="$1"; shift
port="${PORT:-5555}"

server_dll="${SERVER_DLL:-src/CollabCanvas.Server/bin/Release/net10.0/CollabCanvas.Server.dll}"
[ -n "${SERVER_DLL:-}" ] || dotnet build src/CollabCanvas.Server -c Release --nologo -v quiet >/dev/null
dotnet build bench/CollabCanvas.Bench -c Release --nologo -v quiet >/dev/null

data="$(mktemp -d)"
server=
redis=
cleanup() {
    for pid in $server $redis; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; done
    if [ -f "$data/pg/postmaster.pid" ]; then kill -INT "$(head -1 "$data/pg/postmaster.pid")" 2>/dev/null || true; sleep 1; fi
    rm -rf "$data"
}
trap cleanup EXIT
if [ "${PROVIDER:-Sqlite}" = Postgres ]; then
    # PostgreSQL refuses to run as root: then as the postgres user.
    as=(env)
    if [ "$(id -u)" = 0 ]; then chown postgres "$data"; as=(runuser -u postgres --); fi
    pg_port="${PG_PORT:-5599}" redis_port="${REDIS_PORT:-6399}"
    "${as[@]}" /usr/lib/postgresql/15/bin/initdb -D "$data/pg" -U postgres -A trust >/dev/null
    "${as[@]}" /usr/lib/postgresql/15/bin/pg_ctl -D "$data/pg" -l "$data/pg.log" -w \
        -o "-p $pg_port -k $data -c listen_addresses=127.0.0.1 -c max_connections=200 ${PG_OPTIONS:-}" start >/dev/null
    redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --loglevel warning >/dev/null &
    redis=$!
    export CollabCanvas__Backend__Provider=Postgres
    export CollabCanvas__Backend__Postgres__ConnectionString="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"
    export CollabCanvas__Backend__Redis__Configuration="127.0.0.1:$redis_port"
fi
limits=()
if [ "$scenario" = ai ]; then
    limits=(--CollabCanvas:Ai:CommandsPerHour=100000) # the benchmark measures commands, not the hourly limit
fi
if [ "$scenario" = revoke ]; then
    limits=(--CollabCanvas:Auth:InvitationsPerHour=100000) # each round adds the member again
fi
if [ "$scenario" = durable ] || [ "$scenario" = history ] || [ "$scenario" = editor-playback ] || [ "$scenario" = restore ]; then
    # The durable scenario measures the log, not the per-session rate limit.
    limits=(--CollabCanvas:Realtime:BatchesPerSecond=100000 --CollabCanvas:Realtime:BatchBurst=100000
            --CollabCanvas:Realtime:MessagesPerSecond=100000)
fi
CollabCanvas__DataDirectory="$data" Logging__LogLevel__Default=Warning \
    dotnet "$server_dll" \
    --urls "http://127.0.0.1:$port" --contentRoot "${SERVER_CONTENT_ROOT:-$PWD/src/CollabCanvas.Server}" "${limits[@]}" ${SERVER_ARGS:-} &
server=$!
for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done

echo "server pid $server, ${PROVIDER:-Sqlite}, data $data, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(git rev-parse --short HEAD)"
dotnet bench/CollabCanvas.Bench/bin/Release/net10.0/CollabCanvas.Bench.dll "$scenario" \
    --url "http://127.0.0.1:$port" --server-pid "$server" "$@"
if [ "$scenario" = history ]; then
    # What the history takes on disk: the log's rows, checkpoints and snapshots (with their indexes).
    if [ "${PROVIDER:-Sqlite}" = Postgres ]; then
        "${as[@]}" /usr/lib/postgresql/15/bin/psql -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -Atc "CHECKPOINT; SELECT 'STORAGE ' || relname || ' ' ||
            pg_total_relation_size(oid) || ' bytes' FROM pg_class WHERE relname IN ('canvas_log', 'canvas_checkpoints', 'canvas_snapshots')
            UNION ALL SELECT 'STORAGE batches ' || count(*) FROM canvas_log UNION ALL SELECT 'STORAGE checkpoints ' || count(*) FROM canvas_checkpoints"
    else
        curl -sf "http://127.0.0.1:$port/readyz" >/dev/null
        python3 - "$data/collabcanvas.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
for name in ("message_queue", "ix_message_queue_canvas_seq", "ux_message_queue_batch", "canvas_checkpoints", "sqlite_autoindex_canvas_checkpoints_1", "canvas_states", "sqlite_autoindex_canvas_states_1"):
    size = db.execute("SELECT sum(pgsize) FROM dbstat WHERE name = ?", (name,)).fetchone()[0]
    print(f"STORAGE {name} {size} bytes")
print("STORAGE batches", db.execute("SELECT count(*) FROM message_queue").fetchone()[0])
print("STORAGE checkpoints", db.execute("SELECT count(*) FROM canvas_checkpoints").fetchone()[0])
PY
    fi
fi
