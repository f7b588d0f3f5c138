#!/usr/bin/env bash
# Runs a benchmark scenario against N instances sharing one SQLite file (deploy/local-cluster.sh), or with
# PROVIDER=Postgres sharing a throwaway PostgreSQL + Redis (deploy/postgres-cluster.sh), clients spread over the
# instances (not through nginx, so that what is measured is the shared log and its fan-out).
#   bench/cluster.sh 3 fanout --clients 1000 --canvases 50 --rate 5 --seconds 20
#   bench/cluster.sh 3 durable --clients 60 --canvases 50 --window 4 --seconds 10
#   bench/cluster.sh 2 revoke --count 200        # removal on the first instance, the socket on the second
#   PROVIDER=Postgres bench/cluster.sh 3 fanout --clients 250 --canvases 12 --rate 5 --seconds 20
# PostgreSQL + Redis take PG_PORT (5433) and REDIS_PORT (6380); NO_REDIS=1 for LISTEN/NOTIFY instead of Redis.
set -euo pipefail
cd "$(dirname "$0")/.."
count="$1"; scenario="$2"; shift 2
base="${BASE_PORT:-5201}"
run="$(mktemp -d)"
[ -n "${COLLABCANVAS_DLL:-}" ] || dotnet build src/CollabCanvas.Server -c Release --nologo -v quiet >/dev/null
dotnet build bench/CollabCanvas.Bench -c Release --nologo -v quiet >/dev/null
export RUN_DIR="$run" DATA_DIR="$run/data" BASE_PORT="$base" PORT="${PORT:-8088}" DETACH=1
export COLLABCANVAS_DLL="${COLLABCANVAS_DLL:-$PWD/src/CollabCanvas.Server/bin/Release/net10.0/CollabCanvas.Server.dll}"
if [ "$scenario" = revoke ]; then
    export CollabCanvas__Auth__InvitationsPerHour=100000 # each round adds the member again
fi
if [ "$scenario" = durable ]; then
    export CollabCanvas__Realtime__BatchesPerSecond=100000 CollabCanvas__Realtime__BatchBurst=100000 CollabCanvas__Realtime__MessagesPerSecond=100000
fi
export Logging__LogLevel__Default=Warning
provider="${PROVIDER:-SharedSqlite}"
if [ "$provider" = Postgres ]; then
    # It stops PostgreSQL, Redis, the instances and nginx and removes its directory when terminated.
    deploy/postgres-cluster.sh "$count" >"$run/cluster.log" 2>&1 &
    cluster=$!
    trap 'kill "$cluster" 2>/dev/null; wait "$cluster" 2>/dev/null || true; rm -rf "$run"' EXIT
    until grep -q "stops everything" "$run/cluster.log"; do
        kill -0 "$cluster" 2>/dev/null || { cat "$run/cluster.log" >&2; exit 1; }
        sleep 0.2
    done
    provider="Postgres + Redis"
    [ -z "${NO_REDIS:-}" ] || provider="Postgres, LISTEN/NOTIFY"
else
    deploy/local-cluster.sh "$count" >/dev/null
    trap 'deploy/local-cluster.sh stop >/dev/null; rm -rf "$run"' EXIT
fi
urls=$(for i in $(seq 0 $((count - 1))); do printf "http://127.0.0.1:%s," $((base + i)); done)
echo "$count instances ($provider), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(git rev-parse --short HEAD)"
dotnet bench/CollabCanvas.Bench/bin/Release/net10.0/CollabCanvas.Bench.dll "$scenario" --url "http://127.0.0.1:$base" --urls "${urls%,}" "$@"
