#!/usr/bin/env bash
# tools/mariadb.sh: a private MariaDB server, or a 3-node Galera cluster, on
# this machine, for tests and benchmarks (docs/stores.md). Everything lives in
# one folder; nothing touches the system's own MariaDB.
#
#   tools/mariadb.sh start DIR                 one server, unix socket only
#   tools/mariadb.sh start DIR --galera [N]    N nodes (default 3) on 127.0.0.1
#   tools/mariadb.sh stop DIR                  stop every node of DIR, newest first
#   tools/mariadb.sh kill DIR NODE             SIGKILL one node (tests)
#   tools/mariadb.sh restart DIR NODE          start a stopped or killed node again
#                                              (a Galera node rejoins and catches up)
#   tools/mariadb.sh status DIR                each node: pid, and for Galera its state
#   tools/mariadb.sh url DIR [NODE]            the root URL of a node (default 1)
#
# DIR is created if needed (its parents must be searchable by everyone when
# run as root: the server runs as the `mysql` user). `start` prints the URL
# of each node, mysql://root@localhost/?socket=DIR/nodeI/mysqld.sock, and
# writes them to DIR/urls. Galera nodes listen on 127.0.0.1 only (MySQL,
# group communication, IST and SST ports, picked free at start and kept in
# DIR/nodeI/ports), never on other interfaces.
set -uo pipefail
# Server tools live in sbin (runuser, mariadbd), which a test's PATH lacks.
PATH="$PATH:/usr/sbin:/sbin"

die() { printf 'tools/mariadb.sh: %s\n' "$*" >&2; exit 1; }
say() { printf 'tools/mariadb.sh: %s\n' "$*" >&2; }

MARIADBD="$(command -v mariadbd || echo /usr/sbin/mariadbd)"
GALERA_PROVIDER=/usr/lib/galera/libgalera_smm.so

as_server() { "$@"; }
SERVER_USER_ARGS=()
if ((EUID == 0)); then
  # mariadbd refuses to run as root without --user; its files belong to mysql.
  id mysql >/dev/null 2>&1 || die "no 'mysql' user (apt-get install mariadb-server)"
  SERVER_USER_ARGS=(--user=mysql)
  as_server() { runuser -u mysql -- "$@"; }
fi

client() {  # client SOCKET ARGS... : the mariadb client as root over a socket
  local sock="$1"
  shift
  mariadb --no-defaults --protocol=socket --socket="$sock" -uroot "$@"
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# A base port P such that P..P+span-1 are all free.
free_ports() {
  local span="$1" tries base ok p
  for tries in $(seq 1 200); do
    base=$((20000 + (RANDOM % 2000) * 10))
    ok=1
    for p in $(seq "$base" $((base + span - 1))); do port_free "$p" || { ok=0; break; }; done
    ((ok)) && { echo "$base"; return 0; }
  done
  return 1
}

node_args() {  # node_args DIR I
  local dir="$1" i="$2" n="$dir/node$2"
  printf '%s\n' --no-defaults "${SERVER_USER_ARGS[@]}" --datadir="$n/data" --socket="$n/mysqld.sock" \
    --pid-file="$n/mysqld.pid" --log-error="$n/error.log" \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --innodb-buffer-pool-size=256M --innodb-log-file-size=256M --innodb-flush-log-at-trx-commit=2 \
    --max-connections=300 --max-allowed-packet=256M --local-infile=1 --skip-name-resolve
  if [[ -f "$dir/galera" ]]; then
    local count ports gcomm="" j
    count="$(cat "$dir/galera")"
    for j in $(seq 1 "$count"); do
      read -r _ g _ _ <"$dir/node$j/ports"
      gcomm+="${gcomm:+,}127.0.0.1:$g"
    done
    read -r p g ist sst <"$n/ports"
    # Smaller InnoDB files than the single server's: a joining node copies
    # them from its donor (rsync state transfer), three nodes share the memory.
    printf '%s\n' --innodb-buffer-pool-size=128M --innodb-log-file-size=48M
    printf '%s\n' --bind-address=127.0.0.1 --port="$p" --wsrep-on=ON --wsrep-provider="$GALERA_PROVIDER" \
      --wsrep-cluster-name=metaport --wsrep-cluster-address="gcomm://$gcomm" --wsrep-node-name="node$i" \
      --wsrep-provider-options="base_host=127.0.0.1;base_port=$g;gmcast.listen_addr=tcp://127.0.0.1:$g;ist.recv_addr=127.0.0.1:$ist" \
      --wsrep-node-address="127.0.0.1:$g" --wsrep-sst-method=rsync --wsrep-sst-receive-address="127.0.0.1:$sst" \
      --binlog-format=ROW --default-storage-engine=InnoDB --innodb-autoinc-lock-mode=2
  else
    printf '%s\n' --skip-networking
  fi
}

wait_ready() {  # wait_ready DIR I SECONDS
  local n="$1/node$2" t
  for t in $(seq 1 $((${3} * 5))); do
    if client "$n/mysqld.sock" -N -e 'SELECT 1' >/dev/null 2>&1; then
      [[ -f "$1/galera" ]] || return 0
      [[ "$(client "$n/mysqld.sock" -N -e "SHOW STATUS LIKE 'wsrep_local_state_comment'" 2>/dev/null | cut -f2)" == Synced ]] && return 0
    fi
    if [[ -f "$n/mysqld.pid" ]] && ! kill -0 "$(cat "$n/mysqld.pid")" 2>/dev/null; then return 1; fi
    sleep 0.2
  done
  return 1
}

start_node() {  # start_node DIR I [extra args...]
  local dir="$1" i="$2" n="$1/node$2"
  shift 2
  local args
  mapfile -t args < <(node_args "$dir" "$i")
  rm -f "$n/mysqld.pid"
  # setsid: the server outlives this script and is stopped by pid.
  setsid "$MARIADBD" "${args[@]}" "$@" </dev/null >>"$n/stdout.log" 2>&1 &
  echo $! >"$n/launcher.pid"
  if ! wait_ready "$dir" "$i" 120; then
    tail -n 30 "$n/error.log" >&2 2>/dev/null
    return 1
  fi
}

url_of() { echo "mysql://root@localhost/?socket=$1/node$2/mysqld.sock"; }

cmd_start() {
  local dir="$1" galera=0 count=1
  shift
  if [[ "${1:-}" == --galera ]]; then
    galera=1
    count="${2:-3}"
    [[ "$count" =~ ^[0-9]+$ ]] || count=3
  fi
  mkdir -p "$dir" || die "cannot create $dir"
  dir="$(cd "$dir" && pwd)"
  chmod 755 "$dir"
  [[ -e "$dir/node1" ]] && die "$dir already holds a server (stop it, or use another folder)"
  rm -f "$dir/galera" "$dir/urls"
  if ((galera)); then
    [[ -f "$GALERA_PROVIDER" ]] || die "no Galera provider at $GALERA_PROVIDER (apt-get install galera-4)"
    echo "$count" >"$dir/galera"
  fi
  local i
  for i in $(seq 1 "$count"); do
    local n="$dir/node$i"
    mkdir -p "$n/data"
    chmod 755 "$n"
    if ((galera)); then
      local base
      base="$(free_ports 4)" || die "no free ports on 127.0.0.1"
      # MySQL, group communication (gcomm), IST, SST
      echo "$base $((base + 1)) $((base + 2)) $((base + 3))" >"$n/ports"
    fi
    ((EUID == 0)) && chown -R mysql: "$n"
    # A joining Galera node gets its whole data directory from a donor
    # (rsync state transfer): only the first node needs one made.
    ((galera && i > 1)) && continue
    as_server mariadb-install-db --no-defaults --datadir="$n/data" --auth-root-authentication-method=normal \
      --skip-test-db >"$n/install.log" 2>&1 || { cat "$n/install.log" >&2; die "mariadb-install-db failed for node $i"; }
  done
  for i in $(seq 1 "$count"); do
    local extra=()
    ((galera && i == 1)) && extra=(--wsrep-new-cluster)
    say "starting node $i of $count in $dir"
    start_node "$dir" "$i" "${extra[@]}" || { cmd_stop "$dir"; die "node $i did not start (log above)"; }
    url_of "$dir" "$i" >>"$dir/urls"
  done
  if ((galera)); then
    local size
    size="$(client "$dir/node1/mysqld.sock" -N -e "SHOW STATUS LIKE 'wsrep_cluster_size'" | cut -f2)"
    [[ "$size" == "$count" ]] || { cmd_stop "$dir"; die "cluster size is $size, expected $count"; }
    say "Galera cluster of $count nodes is up (wsrep_cluster_size=$size)"
  fi
  cat "$dir/urls"
}

node_pid() { [[ -f "$1/node$2/mysqld.pid" ]] && cat "$1/node$2/mysqld.pid"; }

stop_node() {  # stop_node DIR I
  local pid t
  pid="$(node_pid "$1" "$2")" || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for t in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  say "node $2 did not stop within 60 s: SIGKILL"
  kill -KILL "$pid" 2>/dev/null
}

nodes_of() { local d; for d in "$1"/node*; do [[ -d "$d" ]] && echo "${d##*/node}"; done | sort -n; }

cmd_stop() {
  local dir="$1" i
  [[ -d "$dir" ]] || return 0
  for i in $(nodes_of "$dir" | sort -rn); do stop_node "$dir" "$i"; done
}

cmd_kill() {
  local pid
  pid="$(node_pid "$1" "$2")" || die "node $2 of $1 has no pid"
  kill -KILL "$pid" || die "node $2 (pid $pid) is not running"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  echo "$pid"
}

cmd_restart() {
  local dir="$1" i="$2" pid
  pid="$(node_pid "$dir" "$i")" && kill -0 "$pid" 2>/dev/null && die "node $i is running (pid $pid)"
  start_node "$dir" "$i" || die "node $i did not start again"
}

cmd_status() {
  local dir="$1" i pid
  for i in $(nodes_of "$dir"); do
    pid="$(node_pid "$dir" "$i")"
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
      if [[ -f "$dir/galera" ]]; then
        echo "node $i: pid $pid, $(client "$dir/node$i/mysqld.sock" -N -e "SHOW STATUS WHERE Variable_name IN ('wsrep_cluster_size','wsrep_local_state_comment')" | tr '\t\n' '= ')"
      else
        echo "node $i: pid $pid"
      fi
    else
      echo "node $i: stopped"
    fi
  done
}

case "${1:-}" in
  start) [[ $# -ge 2 ]] || die "usage: start DIR [--galera [N]]"; shift; cmd_start "$@" ;;
  stop) [[ $# -eq 2 ]] || die "usage: stop DIR"; cmd_stop "$2" ;;
  kill) [[ $# -eq 3 ]] || die "usage: kill DIR NODE"; cmd_kill "$2" "$3" ;;
  restart) [[ $# -eq 3 ]] || die "usage: restart DIR NODE"; cmd_restart "$2" "$3" ;;
  status) [[ $# -eq 2 ]] || die "usage: status DIR"; cmd_status "$2" ;;
  url) [[ $# -ge 2 ]] || die "usage: url DIR [NODE]"; url_of "$(cd "$2" && pwd)" "${3:-1}" ;;
  *) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
