# Sourced by test.sh and bench.sh (after `cd` to the project and setting PY):
# without DATABASE_URL, start a throwaway PostgreSQL (and, without REDIS_URL, a
# throwaway Redis) on loopback in a temporary directory, export their URLs, and
# stop them by PID when the calling script exits, also on failure.
tmp=$(mktemp -d /tmp/ehc-${EHC_SERVICES_NAME:-test}.XXXXXX)
chmod 755 "$tmp"
pg_pid=""
redis_pid=""

cleanup() {
  local rc=$?
  if [ -n "$redis_pid" ]; then
    kill "$redis_pid" 2>/dev/null || true
  fi
  if [ -n "$pg_pid" ]; then
    kill -INT "$pg_pid" 2>/dev/null || true   # fast shutdown
  fi
  for _ in $(seq 1 100); do
    alive=0
    for pid in $pg_pid $redis_pid; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  for pid in $pg_pid $redis_pid; do kill -KILL "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

if [ -z "${DATABASE_URL:-}" ]; then
  pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$pgbin" ] || pgbin=$(dirname "$(command -v initdb)")
  as_pg=()
  if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$tmp"
    as_pg=(runuser -u postgres --)
  fi
  port=$(free_port)
  "${as_pg[@]}" "$pgbin/initdb" -D "$tmp/pg" -U postgres -A trust -E UTF8 --no-sync >"$tmp/initdb.log" 2>&1 \
    || { cat "$tmp/initdb.log" >&2; exit 1; }
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$tmp/pg" -l "$tmp/pg.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
    start >/dev/null || { cat "$tmp/pg.log" >&2; exit 1; }
  pg_pid=$(head -n 1 "$tmp/pg/postmaster.pid")
  "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U postgres early_help
  export DATABASE_URL="postgres://postgres@127.0.0.1:$port/early_help"
  echo "Started PostgreSQL (pid $pg_pid) on 127.0.0.1:$port"
fi

if [ -z "${REDIS_URL:-}" ]; then
  rport=$(free_port)
  redis-server --port "$rport" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
    --pidfile "$tmp/redis.pid" --dir "$tmp" --logfile "$tmp/redis.log"
  for _ in $(seq 1 50); do [ -s "$tmp/redis.pid" ] && break; sleep 0.1; done
  redis_pid=$(cat "$tmp/redis.pid")
  export REDIS_URL="redis://127.0.0.1:$rport/0"
  echo "Started Redis (pid $redis_pid) on 127.0.0.1:$rport"
fi

