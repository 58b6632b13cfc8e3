#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback for tests and benches: `run -- <command>` starts one, runs the command with
# WXGATE_TEST_DATABASE_URL pointing at it, and removes the cluster afterwards; `start` / `stop <dir>` for manual use.
# Tests run without fsync (throwaway data); `--durable` keeps PostgreSQL's defaults (fsync, synchronous_commit on), as the
# benches want: `bash scripts/pg-test.sh run --durable -- npm run bench:messages`.
# Uses Debian's postgresql (/usr/lib/postgresql/<version>/bin). As root it runs the server as the `postgres` user
# (initdb refuses root), through runuser.
set -euo pipefail

bin_dir() {
  local dir
  # `return 0`, not a bare `return`: in the EXIT trap a bare return repeats the status of the command that failed, and
  # `set -e` then ended stop() before it stopped the server.
  if command -v pg_ctl >/dev/null 2>&1; then dirname "$(command -v pg_ctl)"; return 0; fi
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$dir" ] || [ ! -x "$dir/pg_ctl" ]; then
    echo "pg-test: PostgreSQL is not installed (Debian: apt-get install postgresql)" >&2
    exit 3
  fi
  echo "$dir"
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# Prints "<data dir> <url>" once the server accepts connections. $1 = --durable keeps the defaults.
start() {
  local bin dir port durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [ "${1:-}" = "--durable" ] && durability=
  bin=$(bin_dir)
  dir=$(mktemp -d "${TMPDIR:-/tmp}/wxgate-pg-XXXXXX")
  chmod 700 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  port=$(free_port)
  as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  # Throwaway data: no fsync unless --durable. Sockets in the cluster's own directory, TCP on loopback only.
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
    -o "-h 127.0.0.1 -p $port -k $dir $durability -c max_connections=300" >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
  echo "$dir postgres://postgres@127.0.0.1:$port/postgres"
}

stop() {
  local bin dir=$1
  bin=$(bin_dir)
  [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start "${2:-}" ;;
  stop) stop "${2:?usage: pg-test.sh stop <dir>}" ;;
  run)
    shift
    mode=""
    [ "${1:-}" = "--durable" ] && { mode=--durable; shift; }
    [ "${1:-}" = "--" ] && shift
    read -r dir url < <(start "$mode")
    trap 'stop "$dir"' EXIT
    echo "pg-test: PostgreSQL at $url (cluster $dir)" >&2
    WXGATE_TEST_DATABASE_URL=$url "$@"
    ;;
  *) echo "usage: pg-test.sh start [--durable] | stop <dir> | run [--durable] -- <command…>" >&2; exit 2 ;;
esac
