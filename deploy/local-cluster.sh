#!/usr/bin/env bash
# N CollabCanvas instances on one host, sharing one SQLite file, behind nginx on loopback.
#   deploy/local-cluster.sh 3          start 3 instances and nginx (http://127.0.0.1:8080), then wait
#   deploy/local-cluster.sh stop       stop what the last start started
# Settings (environment): PORT (nginx, 8080), BASE_PORT (first instance, 5101), DATA_DIR (./data-cluster),
# RUN_DIR (./.cluster: logs, pids, nginx.conf), COLLABCANVAS_DLL (a built server; default: build Release),
# DETACH=1 (return once everything is up instead of waiting for Ctrl+C), PROVIDER (SharedSqlite; deploy/postgres-cluster.sh
# sets Postgres and passes the rest of the instances' settings through the environment).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
run="${RUN_DIR:-$root/.cluster}"
data="${DATA_DIR:-$root/data-cluster}"
port="${PORT:-8080}"
base="${BASE_PORT:-5101}"

stop() {
    [ -f "$run/nginx.pid" ] && nginx -p "$run" -c "$run/nginx.conf" -s quit 2>/dev/null || true
    for pidfile in "$run"/instance-*.pid; do
        [ -e "$pidfile" ] || continue
        kill "$(cat "$pidfile")" 2>/dev/null || true # SIGTERM: each flushes its log and closes sockets with 1001
        rm -f "$pidfile"
    done
    echo "stopped"
}

if [ "${1:-}" = "stop" ]; then stop; exit 0; fi
count="${1:?usage: local-cluster.sh N | stop}"
command -v nginx >/dev/null || { echo "nginx is missing: apt-get install nginx-light" >&2; exit 1; }

dll="${COLLABCANVAS_DLL:-}"
if [ -z "$dll" ]; then
    dotnet build "$root/src/CollabCanvas.Server" -c Release --nologo -v quiet >/dev/null
    dll="$root/src/CollabCanvas.Server/bin/Release/net10.0/CollabCanvas.Server.dll"
fi
mkdir -p "$run" "$data"
stop >/dev/null

upstreams=""
for i in $(seq 1 "$count"); do
    instance_port=$((base + i - 1))
    # nginx, on loopback, is the one proxy whose X-Forwarded-For and X-Forwarded-Proto the instances believe.
    CollabCanvas__DataDirectory="$data" CollabCanvas__Backend__Provider="${PROVIDER:-SharedSqlite}" CollabCanvas__Log__InstanceId="instance-$i" \
        CollabCanvas__Http__TrustedProxies__0=127.0.0.1/32 \
        nohup dotnet "$dll" --urls "http://127.0.0.1:$instance_port" --contentRoot "$root/src/CollabCanvas.Server" \
        >"$run/instance-$i.log" 2>&1 &
    echo $! >"$run/instance-$i.pid"
    upstreams="$upstreams        server 127.0.0.1:$instance_port max_fails=1 fail_timeout=2s;\n"
done

sed -e "s|@RUN@|$run|g" -e "s|@LISTEN@|127.0.0.1:$port|g" -e "s|@UPSTREAMS@|$upstreams|" "$root/deploy/nginx.conf.template" >"$run/nginx.conf"
for i in $(seq 1 "$count"); do
    for _ in $(seq 300); do curl -sf "http://127.0.0.1:$((base + i - 1))/readyz" >/dev/null && break; sleep 0.2; done
done
mkdir -p "$run/nginx-temp"
nginx -p "$run" -c "$run/nginx.conf"
echo "CollabCanvas: $count instances behind http://127.0.0.1:$port (data in $data, logs in $run)"
if [ "${DETACH:-0}" = "1" ]; then exit 0; fi
trap stop INT TERM
while sleep 3600; do :; done
