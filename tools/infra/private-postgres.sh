#!/usr/bin/env bash
# A private, throw-away PostgreSQL instance (for fault tests that restart Postgres without touching the shared one).
# Usage: tools/infra/private-postgres.sh up|restart|stop|down DIR PORT
#   up: initdb (trust auth) into DIR if empty, then start on 127.0.0.1:PORT; restart: fast restart; stop: stop;
#   down: stop and delete DIR. LIVEPROMO_PG_OPTS adds server options (e.g. "-c ssl=on -c ssl_cert_file=... -c ssl_key_file=..."). Runs the server as the `postgres` user when called as root (initdb refuses root).
set -euo pipefail
cmd="${1:?usage: $0 up|restart|stop|down DIR PORT}"; dir="${2:?DIR}"; port="${3:?PORT}"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[[ -x "$bin/pg_ctl" ]] || { echo "private-postgres: no PostgreSQL server binaries under /usr/lib/postgresql/*/bin" >&2; exit 3; }
# runuser lives in /usr/sbin, which a minimal PATH may lack; su is the fallback
RUNUSER="$(command -v runuser || ls /usr/sbin/runuser /sbin/runuser 2>/dev/null | head -1 || true)"
as_pg() {
  if [[ "$(id -u)" != 0 ]]; then "$@"
  elif [[ -n "$RUNUSER" ]]; then "$RUNUSER" -u postgres -- "$@"
  else su -s /bin/sh postgres -c "$(printf '%q ' "$@")"
  fi
}
ctl() { as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 "$@"; }
case "$cmd" in
  up)
    mkdir -p "$dir"
    [[ "$(id -u)" == 0 ]] && chown postgres "$dir"
    if [[ ! -f "$dir/data/PG_VERSION" ]]; then as_pg "$bin/initdb" -D "$dir/data" -A trust -U postgres >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }; fi
    ctl -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200 ${LIVEPROMO_PG_OPTS:-}" start >/dev/null ;;
  restart) ctl -m fast -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200 ${LIVEPROMO_PG_OPTS:-}" restart >/dev/null ;;
  stop) ctl -m fast stop >/dev/null ;;
  down) ctl -m fast stop >/dev/null 2>&1 || true; rm -rf "$dir" ;;
  *) echo "usage: $0 up|restart|stop|down DIR PORT" >&2; exit 2 ;;
esac
