#!/usr/bin/env bash
# metaport on a real distributed engine: a 3-node MariaDB Galera cluster on
# 127.0.0.1 (tools/mariadb.sh start DIR --galera 3, started once and stopped
# by this test; docs/stores.md), metaport as real processes:
#   1. the seeded bi sample loaded through node 1 and dumped from node 3 (and
#      2): tree and jsonl byte-identical with the SQLite original;
#   2. certification conflicts: a load through node 3 loses to a conflicting
#      commit made through node 2 meanwhile (the server counts the abort),
#      and is planned and written again: streamed into an empty store, then
#      planned into one that holds an entity; a writer on node 2 that never
#      stops committing conflicting writes makes the load give up after its
#      bounded attempts, with nothing of it written;
#   3. node 1 killed with SIGKILL while a load through it is writing: the
#      load fails, saying nothing was written, and nodes 2 and 3 hold none of
#      it; node 1 restarted rejoins and holds what the others hold;
#   4. node 2 killed with SIGKILL while a load through node 1 is writing: the
#      survivors never show part of it; node 2 rejoins; the load ends
#      committed whole on all three nodes, or failed with nothing written.
# Runs outside Bazel's sandbox (tag "local"): the servers run as the mysql
# user and listen on 127.0.0.1 ports. A cluster that does not start FAILS.
set -uo pipefail
bin="$TEST_SRCDIR/metaport/entities/bi/metaport_bi"
mariadb_sh="$TEST_SRCDIR/metaport/tools/mariadb.sh"
work="$TEST_TMPDIR/galera" && rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
# shellcheck source=tests/support/stores.sh
source "$TEST_SRCDIR/metaport/tests/support/stores.sh"
failures=0
ok() { echo "ok: $1"; }
fail() { echo "FAIL: $1"; failures=$((failures + 1)); }
check() { if [[ "$2" == "$3" ]]; then ok "$1"; else fail "$1: got '$3', expected '$2'"; fi; }
has() { grep -qE -- "$3" "$2" && ok "$1" || { fail "$1: no /$3/ in $2:"; sed 's/^/    /' "$2" | head -30; }; }
same_tree() { diff -r "$1" "$2" >tree.diff && ok "$3" || { fail "$3:"; head -20 tree.diff; }; }
same_file() { cmp -s "$1" "$2" && ok "$3" || { fail "$3"; diff "$1" "$2" | head -10; }; }

# The cluster lives in /tmp (the mysql user must reach it), removed at exit.
cluster="$(mktemp -d /tmp/metaport-galera.XXXXXX)" && chmod 755 "$cluster" || exit 1
stop_cluster() {
  if ((failures)); then  # the servers' own account, before it goes
    for log in "$cluster"/node*/error.log; do
      echo "---- $log (errors and the last lines)"
      grep -E '\[ERROR\]' "$log" | tail -10
      tail -15 "$log"
    done
  fi
  "$mariadb_sh" stop "$cluster" >/dev/null 2>&1
  rm -rf "$cluster"
}
bg_pids=()
trap 'for p in "${bg_pids[@]}"; do kill "$p" 2>/dev/null; done; stop_cluster' EXIT
start=$SECONDS
if ! "$mariadb_sh" start "$cluster" --galera 3 >urls.txt 2>start.log; then
  cat start.log
  echo "FAIL: the Galera cluster did not start"
  exit 1
fi
mapfile -t node <urls.txt
echo "cluster of 3 up in $((SECONDS - start)) s: ${node[*]}"
"$mariadb_sh" status "$cluster"
on() { url_with_db "${node[$(($1 - 1))]}" "$2"; }  # on NODE DB: the URL of DB through node NODE
sql() { server_sql mysql "${node[$(($1 - 1))]}" "$2"; }
status_of() { server_query mysql "${node[$(($1 - 1))]}" "SHOW STATUS LIKE '$2'" | cut -f2; }
rows() {  # rows URL: entity rows in all kind tables of the store (0: nothing written)
  local t q="SELECT 0"
  for t in $(server_query mysql "$1" "SHOW TABLES" | grep -vE '^mp_(meta|schema_version)$'); do q+=" + (SELECT COUNT(*) FROM $t)"; done
  server_query mysql "$1" "$q"
}
aborts() {  # aborts NODE: transactions of NODE that lost a conflict (brute-force aborts, certification failures)
  echo $(($(status_of "$1" wsrep_local_bf_aborts) + $(status_of "$1" wsrep_local_cert_failures)))
}
# wait_writing URL TABLE PID: until the load PID has written (not committed)
# rows of TABLE, as a dirty read on the same node shows.
wait_writing() {
  local n
  for _ in $(seq 1 600); do
    n="$(server_query mysql "$1" "SET SESSION TRANSACTION ISOLATION LEVEL READ UNCOMMITTED; SELECT COUNT(*) FROM $2" 2>/dev/null)"
    [[ "${n:-0}" -gt 1 ]] && return 0
    kill -0 "$3" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}

"$bin" init sqlite://first.db 2>/dev/null
"$bin" seed sqlite://first.db --size 3000 2>/dev/null
"$bin" dump sqlite://first.db tree0 --keep-secrets 2>/dev/null
"$bin" dump sqlite://first.db first.jsonl --keep-secrets 2>/dev/null
"$bin" init sqlite://big.db 2>/dev/null
"$bin" seed sqlite://big.db --size 12000 2>/dev/null
"$bin" dump sqlite://big.db big.jsonl --keep-secrets 2>/dev/null
"$bin" dump sqlite://big.db big-redacted.jsonl 2>/dev/null  # as diff sees a store

# ---- 1. load through node 1, dump from node 3 -------------------------------------
sql 1 "CREATE DATABASE mp_bi" || fail "CREATE DATABASE through node 1"
"$bin" init "$(on 1 mp_bi)" 2>/dev/null || fail "init through node 1"
"$bin" load "$(on 1 mp_bi)" first.jsonl >load1.txt || { fail "load through node 1"; cat load1.txt; }
# A dump on another node sees every commit the cluster made before it began
# (the MySQL store asks a Galera node for causal reads: wsrep_sync_wait).
"$bin" dump "$(on 3 mp_bi)" tree3 --keep-secrets 2>/dev/null || fail "dump tree from node 3"
"$bin" dump "$(on 3 mp_bi)" node3.jsonl --keep-secrets 2>/dev/null || fail "dump jsonl from node 3"
same_tree tree0 tree3 "loaded through node 1, the tree dumped from node 3 is byte-identical"
same_file first.jsonl node3.jsonl "loaded through node 1, the jsonl dumped from node 3 is byte-identical"
"$bin" dump "$(on 2 mp_bi)" node2.jsonl --keep-secrets 2>/dev/null
same_file first.jsonl node2.jsonl "and from node 2"

# ---- 2. certification conflicts ---------------------------------------------------
# One-collection dumps of the first collection the load writes, renamed: a
# writer on node 2 commits them while node 3's load has written (not yet
# committed) that collection's table.
line="$(grep -m1 '"kind":"Collection".*"parent_id":null' big.jsonl)"
one() {  # one NAME [ENTITY_ID]: a one-collection dump
  head -1 big.jsonl
  printf '%s\n' "$line" | sed -E "s/\"entity\":\\{\"name\":\"[^\"]+\"/\"entity\":{\"name\":\"$1\"/" |
    if [[ -n "${2:-}" ]]; then sed -E "s/\"entity_id\":\"[^\"]+\"/\"entity_id\":\"$2\"/"; else cat; fi
  echo '{"metaport":"end","counts":{"Collection":1},"total":1}'
}
one "Written first on node 2" >one.jsonl
one "Writer A" >writer-a.jsonl
one "Writer B" >writer-b.jsonl
one "Already there" "zzzAlreadyThere000000" >there.jsonl
conflict() {  # conflict DB PRELOAD: node 3 loads big.jsonl (into a store holding PRELOAD, if any)
  local db="$1" what pid aborted
  sql 1 "CREATE DATABASE $db" || fail "CREATE DATABASE $db"
  "$bin" init "$(on 1 "$db")" 2>/dev/null
  what="streamed into an empty store"
  if [[ -n "$2" ]]; then
    "$bin" load "$(on 1 "$db")" "$2" >/dev/null || fail "preload $2"
    what="planned (the store holds an entity)"
  fi
  aborted="$(aborts 3)"
  "$bin" load "$(on 3 "$db")" big.jsonl --mode update >"$db.txt" 2>&1 &
  pid=$!
  wait_writing "$(on 3 "$db")" mp_collection "$pid" || fail "$what: node 3's load did not write collections"
  "$bin" load "$(on 2 "$db")" one.jsonl >one-load.txt 2>&1 || { fail "$what: the one-entity load through node 2"; cat one-load.txt; }
  kill -0 "$pid" 2>/dev/null && ok "$what: node 2 committed while node 3's load was writing" || fail "$what: node 3's load ended first"
  wait "$pid"
  check "$what: the load that lost the conflict succeeds" 0 $?
  [[ "$(aborts 3)" -gt "$aborted" ]] && ok "$what: node 3 counts the lost conflict (wsrep_local_bf_aborts + wsrep_local_cert_failures: $aborted -> $(aborts 3))" ||
    fail "$what: node 3 counts no lost conflict ($aborted -> $(aborts 3))"
  has "$what: it says it was written again" "$db.txt" "another writer's conflicting commit came first 1 time: planned and written again"
  if [[ -z "$2" ]]; then
    "$bin" dump "$(on 1 "$db")" "$db.jsonl" --keep-secrets 2>/dev/null
    same_file big.jsonl "$db.jsonl" "$what: the store holds the whole dump (--mode update over the conflicting write), read on node 1"
  else
    "$bin" diff big-redacted.jsonl "$(on 1 "$db")" >"$db.diff"
    has "$what: the store holds the whole dump and its own entity, read on node 1" "$db.diff" \
      "^0 changed, 1 added, 0 removed, [0-9]+ unchanged$"
  fi
}
conflict mp_conflict_stream ""
conflict mp_conflict_plan there.jsonl

# A writer on node 2 that keeps committing a conflicting write: every attempt
# of node 3's load loses; it gives up after a bounded number of attempts.
db=mp_conflict_always
sql 1 "CREATE DATABASE $db" || fail "CREATE DATABASE $db"
"$bin" init "$(on 1 "$db")" 2>/dev/null
"$bin" load "$(on 2 "$db")" writer-a.jsonl >/dev/null || fail "the writer's first load"
( while [[ ! -f stop-writer ]]; do
    "$bin" load "$(on 2 "$db")" writer-b.jsonl --mode update >/dev/null 2>&1
    "$bin" load "$(on 2 "$db")" writer-a.jsonl --mode update >/dev/null 2>&1
  done ) &
writer=$!
bg_pids+=("$writer")
aborted="$(aborts 3)"
"$bin" load "$(on 3 "$db")" big.jsonl --mode update >always.txt 2>&1
rc=$?
touch stop-writer
wait "$writer"
check "a load that loses every attempt fails (exit 1)" 1 "$rc"
has "it says it gave up after a bounded number of attempts, nothing written" always.txt \
  "gave up after 4 attempts: each time another writer's conflicting commit came first.*nothing of it was written"
grep -E '^error' always.txt | head -5
check "node 3 counts the 4 lost conflicts" 4 "$(($(aborts 3) - aborted))"
check "the store holds the writer's collection only, read on node 1" 1 "$(rows "$(on 1 "$db")")"

# ---- 3. SIGKILL node 1 while a load through it is writing -------------------------
# kill_during_load DB NODE OUT WHAT: a new database DB, big.jsonl loaded into it
# through node 1 in the background (its output in OUT, its pid in load_pid),
# and node NODE SIGKILLed once the load has written rows.
kill_during_load() {
  sql 1 "CREATE DATABASE $1" || fail "CREATE DATABASE $1"
  "$bin" init "$(on 1 "$1")" 2>/dev/null
  "$bin" load "$(on 1 "$1")" big.jsonl >"$3" 2>&1 &
  load_pid=$!
  bg_pids+=("$load_pid")
  wait_writing "$(on 1 "$1")" mp_field "$load_pid" && ok "$4" || fail "the load ended before node $2 was killed"
  killed="$("$mariadb_sh" kill "$cluster" "$2")" && ok "SIGKILL node $2 (pid $killed)" || fail "kill node $2"
}
kill_during_load mp_kill 1 kill-load.txt "node 1 is killed while the load writes"
wait "$load_pid"
check "the load through the killed node fails (exit 1)" 1 $?
has "it says the connection was lost and nothing was written" kill-load.txt \
  "connection to the server was lost during a write transaction: the server rolls it back, nothing of it was written"
cat kill-load.txt
check "node 2 holds nothing of the load" 0 "$(rows "$(on 2 mp_kill)")"
check "node 3 holds nothing of the load" 0 "$(rows "$(on 3 mp_kill)")"
"$mariadb_sh" restart "$cluster" 1 >restart.log 2>&1 || { fail "node 1 did not rejoin"; cat restart.log; }
check "node 1 rejoined and is synced" Synced "$(status_of 1 wsrep_local_state_comment)"
check "cluster size back to 3" 3 "$(status_of 1 wsrep_cluster_size)"
check "node 1 holds nothing of the killed load" 0 "$(rows "$(on 1 mp_kill)")"
"$bin" dump "$(on 1 mp_bi)" node1-again.jsonl --keep-secrets 2>/dev/null
same_file first.jsonl node1-again.jsonl "node 1 still holds the first load"
"$bin" load "$(on 2 mp_kill)" big.jsonl >/dev/null 2>&1 || fail "the same load again, through node 2"
"$bin" dump "$(on 1 mp_kill)" again1.jsonl --keep-secrets 2>/dev/null
same_file big.jsonl again1.jsonl "loaded again through node 2, read on the rejoined node 1"

# ---- 4. SIGKILL node 2 while a load through node 1 is writing ---------------------
# Node 2 is not the load's: the load goes on. Its commit needs the surviving
# primary component (nodes 1 and 3, formed after node 2 is evicted); Galera
# may also hold it until node 2 is back (docs/stores.md, "Limits"). Either
# way the survivors never show part of it: polled while node 2 is away, each
# holds nothing of the load or all of it. Node 2 then rejoins; the load ends
# committed whole or failed with nothing written, and all three nodes agree.
whole="$(rows "$(on 1 mp_kill)")"  # the store holds the big sample: its row count
kill_during_load mp_kill2 2 kill2-load.txt "node 2 is killed while the load through node 1 writes"
partial=0 polls=0 seen_whole=0
for _ in $(seq 1 40); do  # up to ~40 s with node 2 away
  for n in 1 3; do
    c="$(rows "$(on "$n" mp_kill2)" 2>/dev/null)" || continue
    polls=$((polls + 1))
    [[ "$c" == 0 ]] || [[ "$c" == "$whole" ]] || { partial=$((partial + 1)); echo "node $n showed $c of $whole rows"; }
    [[ "$c" == "$whole" ]] && seen_whole=1
  done
  kill -0 "$load_pid" 2>/dev/null || break
  sleep 1
done
((polls > 0)) && ok "the survivors answered $polls polls while node 2 was away" || fail "nodes 1 and 3 did not answer"
check "no poll of node 1 or 3 showed part of the load" 0 "$partial"
if kill -0 "$load_pid" 2>/dev/null; then
  echo "the load is still waiting for its commit after node 2 left: restarting node 2"
else
  echo "the load ended while node 2 was away (the survivors showed it whole: $seen_whole)"
fi
"$mariadb_sh" restart "$cluster" 2 >restart2.log 2>&1 || { fail "node 2 did not rejoin"; cat restart2.log; }
for _ in $(seq 1 180); do kill -0 "$load_pid" 2>/dev/null || break; sleep 1; done
if kill -0 "$load_pid" 2>/dev/null; then
  fail "the load through node 1 had not ended 3 minutes after node 2 rejoined"
  kill "$load_pid"
fi
wait "$load_pid"
rc=$?
cat kill2-load.txt
check "node 2 rejoined and is synced" Synced "$(status_of 2 wsrep_local_state_comment)"
check "cluster size back to 3" 3 "$(status_of 1 wsrep_cluster_size)"
if ((rc == 0)); then
  ok "the load committed whole (exit 0)"
  for n in 1 2 3; do
    "$bin" dump "$(on "$n" mp_kill2)" kill2-node$n.jsonl --keep-secrets 2>/dev/null
    same_file big.jsonl kill2-node$n.jsonl "node $n holds the whole load"
  done
else
  check "the load failed as a data or server problem (exit 1)" 1 "$rc"
  has "it says nothing of it was written" kill2-load.txt "nothing of it was written"
  for n in 1 2 3; do check "node $n holds nothing of the failed load" 0 "$(rows "$(on "$n" mp_kill2)")"; done
fi

echo "$failures failures ($((SECONDS - start)) s)"
((failures == 0))
