#!/usr/bin/env bash
# Runs the fanout scenario against the minimal SignalR groups relay (bench/SignalRRelay): the yardstick for
# CollabCanvas's fan-out. Compare with the same arguments through bench/run.sh, in the same session:
#   bench/signalr.sh --clients 200 --canvases 10 --rate 5 --seconds 20
#   bench/run.sh fanout --clients 200 --canvases 10 --rate 5 --seconds 20
set -euo pipefail
cd "$(dirname "$0")/.."
port="${PORT:-5556}"
dotnet build bench/SignalRRelay -c Release --nologo -v quiet >/dev/null
dotnet build bench/CollabCanvas.Bench -c Release --nologo -v quiet >/dev/null
Logging__LogLevel__Default=Warning dotnet bench/SignalRRelay/bin/Release/net10.0/SignalRRelay.dll --urls "http://127.0.0.1:$port" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done

echo "SignalR relay pid $server, $(nproc) cores, $(git rev-parse --short HEAD)"
dotnet bench/CollabCanvas.Bench/bin/Release/net10.0/CollabCanvas.Bench.dll fanout --signalr \
    --url "http://127.0.0.1:$port" --server-pid "$server" "$@"
