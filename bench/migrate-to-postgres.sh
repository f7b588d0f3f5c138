#!/usr/bin/env bash
# How fast migrate-to-postgres moves a large SQLite installation (docs/benchmarks.md, "migrate-to-postgres").
#   bench/migrate-to-postgres.sh [log rows, default 500000]
# Makes a SQLite file with 1,000 users and canvases (one owner each), the given number of 119-byte batches spread over
# them and a 21 KB snapshot per canvas, starts a throwaway PostgreSQL in a temporary directory, moves the file into it
# and prints the command's own report and its time and peak memory. Everything is removed on exit.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rows="${1:-500000}"
pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
tmp="$(mktemp -d /tmp/collabcanvas-migrate-bench-XXXXXX)"
chmod 755 "$tmp"
trap 'as_postgres "$pg_bin/pg_ctl" stop --pgdata "$tmp/postgres/data" --mode immediate --wait >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
mkdir -p "$tmp/postgres" "$tmp/data"
[ "$(id -u)" = 0 ] && chown postgres: "$tmp/postgres"
as_postgres "$pg_bin/initdb" --pgdata "$tmp/postgres/data" --username postgres --auth trust --encoding UTF8 --locale C >/dev/null
as_postgres "$pg_bin/pg_ctl" start --pgdata "$tmp/postgres/data" --wait --log "$tmp/postgres/server.log" \
    -o "-c listen_addresses='' -c unix_socket_directories='$tmp/postgres'" >/dev/null
as_postgres "$pg_bin/createdb" --host "$tmp/postgres" --username postgres empty
as_postgres "$pg_bin/createdb" --host "$tmp/postgres" --username postgres target

dotnet build "$root/src/CollabCanvas.Server" -c Release --nologo -v quiet >/dev/null
dll="$root/src/CollabCanvas.Server/bin/Release/net10.0/CollabCanvas.Server.dll"
# An empty file: the command gives it the current schema (and moves nothing into the database "empty").
touch "$tmp/data/collabcanvas.db"
dotnet "$dll" migrate-to-postgres --from "$tmp/data" --to "Host=$tmp/postgres;Username=postgres;Database=empty" >/dev/null
python3 - "$tmp/data/collabcanvas.db" "$rows" <<'PY'
import json, random, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1]); rows = int(sys.argv[2]); now = int(time.time() * 1000)
db.execute("BEGIN")
for i in range(1000):
    db.execute("INSERT INTO users (id, display_name, email, email_verified, password_hash, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?, ?)",
               (f"u{i}", f"User {i}", f"u{i}@example.test", "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", now, now))
    db.execute("INSERT INTO canvases (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)", (f"c{i}", f"Canvas {i}", now, now))
    db.execute("INSERT INTO canvas_members (canvas_id, user_id, role, created_at) VALUES (?, ?, 'owner', ?)", (f"c{i}", f"u{i}", now))
ops = json.dumps([{"op": "put", "id": "o1", "props": {"type": "rect", "x": 10, "y": 20, "width": 100, "height": 50, "fill": "#ff0000"}}]).encode()
for i in range(rows):
    c = random.randrange(1000)
    db.execute("INSERT INTO message_queue (canvas_id, client_id, ref, actor, ops, created_at) VALUES (?, 'client', ?, ?, ?, ?)", (f"c{c}", f"r{i}", f"u{c}", ops, now))
snapshot = json.dumps({f"o{k}": {"type": "rect", "x": k, "y": k, "width": 10, "height": 10} for k in range(300)}).encode()
for i in range(1000):
    db.execute("INSERT INTO canvas_states (canvas_id, seq, objects, updated_at) VALUES (?, 1, ?, ?)", (f"c{i}", snapshot, now))
db.commit()
PY
echo "SQLite file: $(du -h "$tmp/data/collabcanvas.db" | cut -f1)"
/usr/bin/time -f "%e s elapsed, %M KB peak memory" dotnet "$dll" migrate-to-postgres --from "$tmp/data" \
    --to "Host=$tmp/postgres;Username=postgres;Database=target" 2>&1 | grep -v "PostgresDatabase\|SqliteDatabase"
