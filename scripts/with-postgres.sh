#!/usr/bin/env bash
# Runs a command beside a scratch PostgreSQL server: `./scripts/with-postgres.sh CMD ARGS...`.
# The server listens on 127.0.0.1 only, on a free port, with its data in a new temporary folder;
# SURVEY_COLLECTOR_TEST_POSTGRES holds its URL for the command. It is stopped and deleted when
# the command ends, however it ends. Debian's `postgresql` package provides it (setup.sh --test
# installs it); if it cannot start, this fails with the server's log rather than skipping.
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [[ -z "$bin" || ! -x "$bin/initdb" ]]; then
  echo "with-postgres: PostgreSQL is not installed (run ./scripts/setup.sh --test)" >&2
  exit 1
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/sc-postgres.XXXXXX")
chmod 755 "$dir"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# PostgreSQL refuses to run as root: run it as the package's postgres user then.
as_pg=()
if [[ $(id -u) == 0 ]]; then
  chown postgres "$dir"
  as_pg=(runuser -u postgres --)
fi
stop() {
  "${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
if ! "${as_pg[@]}" "$bin/initdb" -D "$dir/data" -U collector --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1; then
  echo "with-postgres: initdb failed:" >&2
  cat "$dir/initdb.log" >&2
  exit 1
fi
if ! "${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200" start >/dev/null; then
  echo "with-postgres: the server did not start:" >&2
  cat "$dir/server.log" >&2
  exit 1
fi
export SURVEY_COLLECTOR_TEST_POSTGRES="postgres://collector@127.0.0.1:$port/postgres"
echo "with-postgres: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2
"$@"
