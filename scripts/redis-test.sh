#!/usr/bin/env bash
# A throwaway Redis on loopback for tests: `run -- <command>` starts one, runs the command with WXGATE_TEST_REDIS_URL
# pointing at it, and stops it afterwards; `start` / `stop <dir>` for manual use. Nothing is persisted (no RDB, no AOF).
# Uses Debian's redis-server. Where it is missing, `run` still runs the command, without the variable, so the tests that
# need Redis skip and say what to install.
set -euo pipefail

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# Prints "<dir> <url>" once the server answers PING.
start() {
  local dir port
  if ! command -v redis-server >/dev/null 2>&1; then
    echo "redis-test: redis-server is not installed (Debian: apt-get install redis-server)" >&2
    exit 3
  fi
  dir=$(mktemp -d "${TMPDIR:-/tmp}/wxgate-redis-XXXXXX")
  port=$(free_port)
  redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --save '' --appendonly no --protected-mode yes \
    --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null
  for _ in $(seq 1 100); do
    if redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; then
      echo "$dir redis://127.0.0.1:$port"
      return
    fi
    sleep 0.1
  done
  cat "$dir/redis.log" >&2
  exit 1
}

stop() {
  local dir=$1 pid
  if [ -f "$dir/redis.pid" ]; then
    pid=$(cat "$dir/redis.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:?usage: redis-test.sh stop <dir>}" ;;
  run)
    shift
    [ "${1:-}" = "--" ] && shift
    if ! command -v redis-server >/dev/null 2>&1; then
      echo "redis-test: redis-server is not installed (Debian: apt-get install redis-server); the Redis tests skip" >&2
      exec "$@"
    fi
    read -r dir url < <(start)
    trap 'stop "$dir"' EXIT
    echo "redis-test: Redis at $url ($dir)" >&2
    WXGATE_TEST_REDIS_URL=$url "$@"
    ;;
  *) echo "usage: redis-test.sh start | stop <dir> | run -- <command…>" >&2; exit 2 ;;
esac
