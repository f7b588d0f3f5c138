#!/usr/bin/env bash
# Runs a benchmark scenario against N instances sharing one SQLite file (deploy/local-cluster.sh), clients spread
# over the instances (not through nginx, so that what is measured is the shared queue).
#   bench/cluster.sh 3 fanout --clients 1000 --canvases 50 --rate 5 --seconds 20
#   bench/cluster.sh 3 durable --clients 60 --canvases 50 --window 4 --seconds 10
#   bench/cluster.sh 2 revoke --count 200        # removal on the first instance, the socket on the second
set -euo pipefail
cd "$(dirname "$0")/.."
count="$1"; scenario="$2"; shift 2
base="${BASE_PORT:-5201}"
run="$(mktemp -d)"
dotnet build src/CollabCanvas.Server -c Release --nologo -v quiet >/dev/null
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
deploy/local-cluster.sh "$count" >/dev/null
trap 'deploy/local-cluster.sh stop >/dev/null; rm -rf "$run"' EXIT
urls=$(for i in $(seq 0 $((count - 1))); do printf "http://127.0.0.1:%s," $((base + i)); done)
echo "$count instances (SharedSqlite), $(nproc) cores, $(git rev-parse --short HEAD)"
dotnet bench/CollabCanvas.Bench/bin/Release/net10.0/CollabCanvas.Bench.dll "$scenario" --url "http://127.0.0.1:$base" --urls "${urls%,}" "$@"
