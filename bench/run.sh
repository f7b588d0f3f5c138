#!/usr/bin/env bash
# Runs one benchmark scenario against a fresh Release server with its own data directory.
#   bench/run.sh connections --count 10000 --canvases 100
#   bench/run.sh fanout --clients 1000 --canvases 50 --rate 5 --seconds 20
#   bench/run.sh durable --clients 50 --canvases 1 --window 4 --seconds 10
#   bench/run.sh ai --count 500
#   bench/run.sh revoke --count 200
# Extra server settings: SERVER_ARGS="--CollabCanvas:Synchronous=NORMAL" bench/run.sh durable ...
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
limits=()
if [ "$scenario" = ai ]; then
    limits=(--CollabCanvas:Ai:CommandsPerHour=100000) # the benchmark measures commands, not the hourly limit
fi
if [ "$scenario" = revoke ]; then
    limits=(--CollabCanvas:Auth:InvitationsPerHour=100000) # each round adds the member again
fi
if [ "$scenario" = durable ]; then
    # The durable scenario measures the log, not the per-session rate limit.
    limits=(--CollabCanvas:Realtime:BatchesPerSecond=100000 --CollabCanvas:Realtime:BatchBurst=100000
            --CollabCanvas:Realtime:MessagesPerSecond=100000)
fi
CollabCanvas__DataDirectory="$data" Logging__LogLevel__Default=Warning \
    dotnet "$server_dll" \
    --urls "http://127.0.0.1:$port" --contentRoot "${SERVER_CONTENT_ROOT:-$PWD/src/CollabCanvas.Server}" "${limits[@]}" ${SERVER_ARGS:-} &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done

echo "server pid $server, data $data, $(nproc) cores, $(git rev-parse --short HEAD)"
dotnet bench/CollabCanvas.Bench/bin/Release/net10.0/CollabCanvas.Bench.dll "$scenario" \
    --url "http://127.0.0.1:$port" --server-pid "$server" "$@"
