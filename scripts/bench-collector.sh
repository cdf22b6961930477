#!/usr/bin/env bash
# The reference collector's benchmarks (run by ./scripts/bench.sh, or alone): posts per second
# and p99 latency over 64 connections for SQLite, PostgreSQL with one instance and with two
# (20,000 posts of 5,000 ids, so exactly 5,000 rows must be stored); acknowledged against found
# after 10 SIGKILLs for each store; a normal post's latency while 1,000 slow connections are
# held; the time and peak memory of a CSV export of 100,000 responses. Release builds, loopback
# only; PostgreSQL is a scratch server (scripts/with-postgres.sh). Last, the time to import a
# 200-question spreadsheet (`survey import`).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z "${SURVEY_COLLECTOR_TEST_POSTGRES:-}" ]]; then
  exec ./scripts/with-postgres.sh "$0" "$@"
fi
cargo build --release -p survey-collector --example load 2>/dev/null
cargo build --release -p survey-collector 2>/dev/null
C=target/release/survey-collector
L=target/release/examples/load
dir=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$dir"; }
trap cleanup EXIT

# Starts a collector on $1 (a SQLite file or a database URL) and sets $url and $pid.
start() {
  local out="$dir/out.$RANDOM"
  "$C" --port 0 --db "$1" --surveys public/surveys >"$out" 2>/dev/null &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 100); do
    url=$(grep -o 'http://[0-9.:]*' "$out" 2>/dev/null || true)
    [[ -n "$url" ]] && return 0
    sleep 0.1
  done
  echo "the collector did not start" >&2
  exit 1
}
token() { "$C" token add --name "bench-$RANDOM" --db "$1" 2>/dev/null; }
pg_db() {
  local name="bench_$RANDOM"
  psql -q "$SURVEY_COLLECTOR_TEST_POSTGRES" -c "CREATE DATABASE $name"
  echo "${SURVEY_COLLECTOR_TEST_POSTGRES%/*}/$name"
}

echo "== SQLite, one instance"
db="$dir/posts.sqlite"
t=$(token "$db")
start "$db"
"$L" posts --url "$url" --token "$t" --connections 64 --posts 20000 --ids 5000
"$L" slow --url "$url" --token "$t" --hold 1000 --posts 200

echo "== PostgreSQL, one instance"
db=$(pg_db)
t=$(token "$db")
start "$db"
"$L" posts --url "$url" --token "$t" --connections 64 --posts 20000 --ids 5000

echo "== PostgreSQL, two instances on one database"
db=$(pg_db)
t=$(token "$db")
start "$db"
first=$url
start "$db"
"$L" posts --url "$first,$url" --token "$t" --connections 64 --posts 20000 --ids 5000

echo "== SIGKILL, SQLite"
"$L" kill --collector "$C" --db "$dir/kill.sqlite" --rounds 10 --surveys public/surveys
echo "== SIGKILL, PostgreSQL"
"$L" kill --collector "$C" --db "$(pg_db)" --rounds 10 --surveys public/surveys

echo "== Export of 100,000 responses (SQLite)"
db="$dir/export.sqlite"
"$L" seed --db "$db" --count 100000
t=$(token "$db")
start "$db"
"$L" export --url "$url" --token "$t" --pid "$pid"

echo "== The console's survey page and the analysis exports over 100,000 responses (SQLite)"
db="$dir/console.sqlite"
"$L" seed --db "$db" --count 100000
start "$db"
"$L" console --url "$url" --pid "$pid" --rounds 20

echo "== A 200-question spreadsheet through survey import (issue #25)"
cargo run --release -q -p survey-collector --example sheet
