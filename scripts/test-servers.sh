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
# START may name one server (`start DIR pg` or `start DIR mysql`): only that one is started and
# only its URLs are written. For the fault tests (tests/faults), one server of DIR at a time:
#   scripts/test-servers.sh kill DIR pg|mysql     SIGKILL the server by its pid (PostgreSQL: the
#                                                 postmaster and its backends), wait until gone
#   scripts/test-servers.sh halt DIR pg|mysql     a clean shutdown (pg_ctl -m fast / SIGTERM)
#   scripts/test-servers.sh restart DIR pg|mysql  start it again: same data, same port
#   scripts/test-servers.sh pid DIR pg|mysql      print the server's pid
#
# Both listen on 127.0.0.1 only, on the first free ports from 55432 (PostgreSQL) and 53306
# (MariaDB), with their Unix sockets inside DIR. As root the servers run as the unprivileged
# system users the Debian packages create (postgres, mysql); otherwise as the calling user.
# RORM_TEST_PG_PORT_FROM / RORM_TEST_MYSQL_PORT_FROM move the first port tried (the fault tests
# take their own, so that a server they stopped does not lose its port to another run).
# fsync is switched off (the data is thrown away anyway), but every commit is written to the
# operating system before it returns: committed data survives a killed server (tests/faults), not
# a crashed machine.
# PostgreSQL looks for deadlocks after 50 ms instead of 1 s (the soak test makes many).
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
  local port=${RORM_TEST_PG_PORT_FROM:-55432} pgdata=$DIR/pg attempt
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
deadlock_timeout = 50ms
fsync = off
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

# Launch mariadbd on the data directory of DIR on port $1 and wait until it answers.
launch_mysql() {
  local port=$1 mydata=$DIR/mysql mysqld client pid
  mysqld=$(find_bin mariadbd mysqld) || { log "mariadbd not found (scripts/install-deps.sh)"; return 1; }
  client=$(find_bin mariadb mysql) || { log "mariadb client not found"; return 1; }
  local user=()
  [ "$(id -u)" -eq 0 ] && user=(--user=mysql)
  : >"$mydata/server.log"
  # A temporary directory of its own: mariadbd deletes every #sql* file of its tmpdir when it
  # starts, so servers sharing /tmp (the fault tests start and kill their own next to the
  # shared one) would delete each other's temporary tables ("Error on delete of
  # '/tmp/#sql-temptable-...'").
  mkdir -p "$mydata/tmp"
  [ "$(id -u)" -eq 0 ] && chown mysql: "$mydata/server.log" "$mydata/tmp"
  "$mysqld" --no-defaults "${user[@]}" --datadir="$mydata/data" --bind-address=127.0.0.1 --port="$port" \
    --socket="$mydata/mysqld.sock" --pid-file="$mydata/mysqld.pid" --log-error="$mydata/server.log" \
    --tmpdir="$mydata/tmp" \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci --default-time-zone=+00:00 \
    --max-connections=400 --innodb-buffer-pool-size=64M --innodb-log-file-size=32M \
    --innodb-flush-log-at-trx-commit=2 --innodb-doublewrite=0 --skip-log-bin --sync-frm=0 \
    --skip-name-resolve >/dev/null 2>&1 &
  pid=$!
  echo "$pid" >"$mydata/mysqld.launch-pid"
  for _ in $(seq 1 120); do
    if "$client" --no-defaults -S "$mydata/mysqld.sock" -u root -e "SELECT 1" >/dev/null 2>&1; then
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break # it exited: the caller looks at the log
    sleep 0.5
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  return 1
}

start_mysql() {
  local port mydata=$DIR/mysql installdb client
  find_bin mariadbd mysqld >/dev/null || { log "mariadbd not found (scripts/install-deps.sh)"; return 1; }
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
  local attempt
  port=${RORM_TEST_MYSQL_PORT_FROM:-53306}
  for attempt in 1 2 3 4 5 6 7 8; do
    port=$(free_port "$port")
    launch_mysql "$port" && break
    if [ "$attempt" -eq 8 ] || ! grep -q "already in use" "$mydata/server.log"; then
      log "MariaDB did not start"
      cat "$mydata/server.log" >&2 || true
      return 1
    fi
    port=$((port + 1))
  done
  echo "$port" >"$mydata/port"
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

server_pid() { # server_pid pg|mysql
  case "$1" in
    pg) head -n 1 "$DIR/pg/data/postmaster.pid" 2>/dev/null ;;
    mysql) cat "$DIR/mysql/mysqld.pid" 2>/dev/null || cat "$DIR/mysql/mysqld.launch-pid" 2>/dev/null ;;
    *) return 2 ;;
  esac
}

wait_gone() { # wait_gone PID...: until none of them exists (at most 60 s)
  local p alive
  for _ in $(seq 1 600); do
    alive=0
    for p in "$@"; do
      kill -0 "$p" 2>/dev/null && alive=1
    done
    [ "$alive" -eq 0 ] && return 0
    sleep 0.1
  done
  log "processes $* did not exit"
  return 1
}

kill_server() { # kill_server pg|mysql: SIGKILL, as a crash or the OOM killer would
  local pid children=()
  pid=$(server_pid "$1") || { log "no $1 server in $DIR"; return 1; }
  [ -n "$pid" ] || { log "no $1 server in $DIR"; return 1; }
  if [ "$1" = pg ]; then
    # The backends too: a lone SIGKILLed postmaster leaves them holding the shared memory.
    mapfile -t children < <(pgrep -P "$pid" || true)
  fi
  kill -KILL "$pid" "${children[@]}" 2>/dev/null || true
  wait_gone "$pid" "${children[@]}"
}

halt_server() { # halt_server pg|mysql: a clean shutdown, keeping the data
  local pid
  case "$1" in
    pg) as_user postgres "$PG_BIN/pg_ctl" -D "$DIR/pg/data" -m fast -w -t 60 stop >/dev/null ;;
    mysql)
      pid=$(server_pid mysql) || return 1
      kill -TERM "$pid"
      wait_gone "$pid"
      ;;
    *) return 2 ;;
  esac
}

restart_server() { # restart_server pg|mysql: same data directory, same port
  case "$1" in
    pg)
      as_user postgres "$PG_BIN/pg_ctl" -D "$DIR/pg/data" -l "$DIR/pg/server.log" -w -t 120 start >/dev/null ||
        { cat "$DIR/pg/server.log" >&2; return 1; }
      ;;
    mysql)
      launch_mysql "$(cat "$DIR/mysql/port")" || { cat "$DIR/mysql/server.log" >&2; return 1; }
      ;;
    *) return 2 ;;
  esac
}

case "$CMD" in
  start)
    ONLY=${3:-}
    if [ -e "$DIR/env" ]; then
      log "stopping what is left in $DIR"
      stop_all
    fi
    mkdir -p "$DIR"
    chmod 755 "$DIR"
    PG_URL="" MYSQL_URL="" PG_SOCKET_URL="" MYSQL_SOCKET_URL=""
    if { [ "$ONLY" != mysql ] && ! start_pg; } || { [ "$ONLY" != pg ] && ! start_mysql; }; then
      stop_all
      exit 1
    fi
    {
      [ -n "$PG_URL" ] && echo "export RORM_TEST_PG_URL='$PG_URL'"
      [ -n "$MYSQL_URL" ] && echo "export RORM_TEST_MYSQL_URL='$MYSQL_URL'"
      [ -n "$PG_SOCKET_URL" ] && echo "export RORM_TEST_PG_SOCKET_URL='$PG_SOCKET_URL'"
      [ -n "$MYSQL_SOCKET_URL" ] && echo "export RORM_TEST_MYSQL_SOCKET_URL='$MYSQL_SOCKET_URL'"
      true
    } >"$DIR/env"
    cat "$DIR/env"
    ;;
  stop)
    stop_all
    ;;
  kill) kill_server "${3:?kill DIR pg|mysql}" ;;
  halt) halt_server "${3:?halt DIR pg|mysql}" ;;
  restart) restart_server "${3:?restart DIR pg|mysql}" ;;
  pid) server_pid "${3:?pid DIR pg|mysql}" ;;
  *)
    echo "usage: $0 start [DIR [pg|mysql]] | stop [DIR] | kill|halt|restart|pid DIR pg|mysql" >&2
    exit 2
    ;;
esac
