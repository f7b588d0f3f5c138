#!/usr/bin/env bash
# Idle CPU of N SharedSqlite instances on one file with no clients, for one or more builds of the server, measured in
# turn in the same run (so before and after a change meet the same machine):
#   bench/idle-cpu.sh /tmp/before/CollabCanvas.Server.dll src/CollabCanvas.Server/bin/Release/net10.0/CollabCanvas.Server.dll
# Settings (environment): PROVIDER (SharedSqlite), INSTANCES (3), IDLE_SECONDS (30), SETTLE_SECONDS (60: start-up work is
# not idle, and the runtime keeps re-JITting code that runs once a second for about half a minute after start),
# BASE_PORT (5301). CPU is utime + stime from /proc/<pid>/stat over the idle window, in % of one core.
set -euo pipefail
cd "$(dirname "$0")/.."
instances="${INSTANCES:-3}"; idle="${IDLE_SECONDS:-30}"; settle="${SETTLE_SECONDS:-60}"; base="${BASE_PORT:-5301}"
ticks_per_second="$(getconf CLK_TCK)"
[ "$#" -gt 0 ] || { echo "usage: bench/idle-cpu.sh SERVER.dll..." >&2; exit 1; }

cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; } # fields 14 and 15: utime, stime

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

echo "$instances ${PROVIDER:-SharedSqlite} instances, idle ${idle} s after ${settle} s, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for dll in "$@"; do
    data="$(mktemp -d)"
    pids=()
    for i in $(seq 1 "$instances"); do
        CollabCanvas__DataDirectory="$data" CollabCanvas__Backend__Provider="${PROVIDER:-SharedSqlite}" CollabCanvas__Log__InstanceId="idle-$i" \
            Logging__LogLevel__Default=Warning \
            dotnet "$dll" --urls "http://127.0.0.1:$((base + i))" --contentRoot "$PWD/src/CollabCanvas.Server" >"$data/instance-$i.log" 2>&1 &
        pids+=("$!")
    done
    for i in $(seq 1 "$instances"); do
        until curl -sf "http://127.0.0.1:$((base + i))/healthz" >/dev/null; do sleep 0.5; done
    done
    sleep "$settle"
    before=(); for pid in "${pids[@]}"; do before+=("$(cpu_ticks "$pid")"); done
    sleep "$idle"
    line="$dll:"
    for n in "${!pids[@]}"; do
        after="$(cpu_ticks "${pids[$n]}")"
        line="$line $(awk -v d="$((after - before[n]))" -v hz="$ticks_per_second" -v s="$idle" 'BEGIN { printf "%.2f%%", 100 * d / hz / s }')"
    done
    echo "$line"
    cleanup
    rm -rf "$data"
done
