#!/usr/bin/env bash
# Throwaway PostgreSQL 15 and MariaDB 10.11 servers for the test suites.
#
#   scripts/test-servers.sh start [DIR]   start both in fresh data directories under DIR
#                                         (default /tmp/rediorm-test-servers), print the
#                                         export lines for RORM_TEST_PG_URL / RORM_TEST_MYSQL_URL
#                                         (and *_SOCKET_URL, the same over Unix sockets) and
#                                         write them to DIR/env
#   scripts/test-servers.sh stop [DIR]    stop them and delete DIR
#
# Both listen on 127.0.0.1 only, on the first free ports from 55432 (PostgreSQL) and 53306
# (MariaDB), with their Unix sockets inside DIR. As root the servers run as the unprivileged
# system users the Debian packages create (postgres, mysql); otherwise as the calling user.
# Durability is switched off (fsync and friends): the data is thrown away anyway.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
CMD=${1:-}
DIR=${2:-${RORM_SERVERS_DIR:-/tmp/rediorm-test-servers}}

log() { echo "test-servers: $*" >&2; }

as_user() { # as_user USER CMD...
  local user=$1
  shift
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u "$user" -- "$@"
  else
    "$@"
  fi
}

port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() {
  local p=$1
  while ! port_free "$p"; do
    p=$((p + 1))
  done
  echo "$p"
}

find_bin() {
  for b in "$@"; do
    if command -v "$b" >/dev/null 2>&1; then
      command -v "$b"
      return 0
    fi
    if [ -x "/usr/sbin/$b" ]; then
      echo "/usr/sbin/$b"
      return 0
    fi
  done
  return 1
}

start_pg() {
  local port=55432 pgdata=$DIR/pg attempt
  [ -x "$PG_BIN/initdb" ] || { log "PostgreSQL 15 not found in $PG_BIN (scripts/install-deps.sh)"; return 1; }
  mkdir -p "$pgdata"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$pgdata"
  as_user postgres "$PG_BIN/initdb" -D "$pgdata/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
    >"$DIR/pg-initdb.log" 2>&1 || { cat "$DIR/pg-initdb.log" >&2; return 1; }
  cp "$pgdata/data/postgresql.conf" "$pgdata/postgresql.conf.orig"
  # Another run may take the same free port at the same moment: on a failed bind, try the next.
  for attempt in 1 2 3 4 5 6 7 8; do
    port=$(free_port "$port")
    cp "$pgdata/postgresql.conf.orig" "$pgdata/data/postgresql.conf"
    cat >>"$pgdata/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$pgdata'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 64MB
timezone = 'UTC'
CONF
    if as_user postgres "$PG_BIN/pg_ctl" -D "$pgdata/data" -l "$pgdata/server.log" -w -t 60 start >/dev/null 2>&1; then
      break
    fi
    if [ "$attempt" -eq 8 ] || ! grep -q "could not bind\|could not create any TCP/IP sockets\|already in use" "$pgdata/server.log"; then
      cat "$pgdata/server.log" >&2
      return 1
    fi
    port=$((port + 1))
  done
  as_user postgres "$PG_BIN/psql" -q -h "$pgdata" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE rorm LOGIN SUPERUSER PASSWORD 'rorm'" -c "CREATE DATABASE rorm_test OWNER rorm" >/dev/null
  PG_URL="postgresql://rorm:rorm@127.0.0.1:$port/rorm_test"
  PG_SOCKET_URL="postgresql://rorm:rorm@:$port/rorm_test?host=$pgdata"
}

start_mysql() {
  local port mydata=$DIR/mysql mysqld installdb client
  mysqld=$(find_bin mariadbd mysqld) || { log "mariadbd not found (scripts/install-deps.sh)"; return 1; }
  installdb=$(find_bin mariadb-install-db mysql_install_db) || { log "mariadb-install-db not found"; return 1; }
  client=$(find_bin mariadb mysql) || { log "mariadb client not found"; return 1; }
  mkdir -p "$mydata"
  local user=()
  if [ "$(id -u)" -eq 0 ]; then
    chown mysql: "$mydata"
    user=(--user=mysql)
  fi
  "$installdb" --no-defaults "${user[@]}" --datadir="$mydata/data" --auth-root-authentication-method=socket \
    --skip-test-db >"$DIR/mysql-install.log" 2>&1 || { cat "$DIR/mysql-install.log" >&2; return 1; }
  local attempt pid i up
  port=53306
  for attempt in 1 2 3 4 5 6 7 8; do
    port=$(free_port "$port")
    : >"$mydata/server.log"
    [ "$(id -u)" -eq 0 ] && chown mysql: "$mydata/server.log"
    "$mysqld" --no-defaults "${user[@]}" --datadir="$mydata/data" --bind-address=127.0.0.1 --port="$port" \
      --socket="$mydata/mysqld.sock" --pid-file="$mydata/mysqld.pid" --log-error="$mydata/server.log" \
      --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci --default-time-zone=+00:00 \
      --max-connections=400 --innodb-buffer-pool-size=64M --innodb-log-file-size=32M \
      --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 --skip-log-bin --sync-frm=0 \
      --skip-name-resolve >/dev/null 2>&1 &
    pid=$!
    echo "$pid" >"$mydata/mysqld.launch-pid"
    up=0
    for i in $(seq 1 120); do
      if "$client" --no-defaults -S "$mydata/mysqld.sock" -u root -e "SELECT 1" >/dev/null 2>&1; then
        up=1
        break
      fi
      kill -0 "$pid" 2>/dev/null || break # it exited: see why below
      sleep 0.5
    done
    [ "$up" -eq 1 ] && break
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    if [ "$attempt" -eq 8 ] || ! grep -q "already in use" "$mydata/server.log"; then
      log "MariaDB did not start"
      cat "$mydata/server.log" >&2 || true
      return 1
    fi
    port=$((port + 1))
  done
  "$client" --no-defaults -S "$mydata/mysqld.sock" -u root -e \
    "CREATE USER 'rorm'@'127.0.0.1' IDENTIFIED BY 'rorm'; GRANT ALL ON *.* TO 'rorm'@'127.0.0.1' WITH GRANT OPTION; CREATE USER 'rorm'@'localhost' IDENTIFIED BY 'rorm'; GRANT ALL ON *.* TO 'rorm'@'localhost' WITH GRANT OPTION; CREATE DATABASE rorm_test CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
  MYSQL_URL="mysql://rorm:rorm@127.0.0.1:$port/rorm_test"
  MYSQL_SOCKET_URL="mysql://rorm:rorm@/rorm_test?socket=$mydata/mysqld.sock"
}

stop_all() {
  if [ -f "$DIR/pg/data/postmaster.pid" ]; then
    as_user postgres "$PG_BIN/pg_ctl" -D "$DIR/pg/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
  fi
  if [ -f "$DIR/mysql/mysqld.pid" ] || [ -f "$DIR/mysql/mysqld.launch-pid" ]; then
    local pid
    pid=$(cat "$DIR/mysql/mysqld.pid" 2>/dev/null || cat "$DIR/mysql/mysqld.launch-pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    kill -9 "$pid" 2>/dev/null || true
  fi
  case "$DIR" in
    /tmp/*) rm -rf "$DIR" ;;
  esac
}

case "$CMD" in
  start)
    if [ -e "$DIR/env" ]; then
      log "stopping what is left in $DIR"
      stop_all
    fi
    mkdir -p "$DIR"
    chmod 755 "$DIR"
    if ! start_pg || ! start_mysql; then
      stop_all
      exit 1
    fi
    {
      echo "export RORM_TEST_PG_URL='$PG_URL'"
      echo "export RORM_TEST_MYSQL_URL='$MYSQL_URL'"
      echo "export RORM_TEST_PG_SOCKET_URL='$PG_SOCKET_URL'"
      echo "export RORM_TEST_MYSQL_SOCKET_URL='$MYSQL_SOCKET_URL'"
    } >"$DIR/env"
    cat "$DIR/env"
    ;;
  stop)
    stop_all
    ;;
  *)
    echo "usage: $0 start|stop [DIR]" >&2
    exit 2
    ;;
esac
