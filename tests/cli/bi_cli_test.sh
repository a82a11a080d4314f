#!/usr/bin/env bash
# The bi binary as a real process: exit codes (0 success, 1 data problems,
# 2 usage errors), messages that say where, pipes between engines, and a load
# killed with SIGKILL halfway that leaves the store exactly as it was.
# Every engine of tests/support/engines.inc (the servers tests/run starts);
# fails without them.
set -uo pipefail

bin="$TEST_SRCDIR/metaport/entities/bi/metaport_bi"
export_dir="$TEST_SRCDIR/metaport/tests/cli/data/export"
validator="${METAPORT_VALIDATOR:?METAPORT_VALIDATOR is not set (tests/run sets it)}"
pg="${METAPORT_PG_URL:?METAPORT_PG_URL is not set: this test needs the PostgreSQL server tests/run starts}"
work="$TEST_TMPDIR/cli"
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
# shellcheck source=tests/support/stores.sh
source "$TEST_SRCDIR/metaport/tests/support/stores.sh"

failures=0
check() {  # check NAME EXPECTED_RC ACTUAL_RC
  if [[ "$2" != "$3" ]]; then
    echo "FAIL: $1: exit $3, expected $2"
    failures=$((failures + 1))
  else
    echo "ok: $1"
  fi
}
expect_text() {  # expect_text NAME FILE PATTERN
  if grep -qE -- "$3" "$2"; then echo "ok: $1"; else
    echo "FAIL: $1: no /$3/ in:"; sed 's/^/    /' "$2"; failures=$((failures + 1)); fi
}
run() { "$bin" "$@" >out.txt 2>err.txt; echo $?; }

# A fresh database on each server engine for this test.
declare -A server_url
for engine in "${METAPORT_ENGINES[@]}"; do
  [[ "$engine" == sqlite ]] && continue
  server_url[$engine]="$(fresh_store "$engine" cli)" || { echo "FAIL: cannot reach the $engine server"; exit 1; }
done

# ---- usage errors: exit 2 -------------------------------------------------------
check "no command" 2 "$(run)"
check "unknown flag" 2 "$(run dump sqlite://x.db --frobnicate)"
check "bad --mode value" 2 "$(run load sqlite://a.db "$export_dir" --mode merge)"
expect_text "bad --mode names the flag" err.txt "--mode merge"
check "bad URL scheme" 2 "$(run dump oracle://localhost/x)"
expect_text "bad URL is named" err.txt "oracle://"
check "missing SQLite file is not created by dump" 2 "$(run dump sqlite://nope.db)"
test ! -e nope.db || { echo "FAIL: dump created nope.db"; failures=$((failures + 1)); }
check "unreadable input" 2 "$(run validate /no/such/dump.jsonl)"
expect_text "unreadable input is named" err.txt "/no/such/dump.jsonl"
check "unreachable PostgreSQL" 2 "$(run dump 'postgresql:///x?host=/nonexistent&port=1')"
check "unreachable MariaDB" 2 "$(run dump 'mysql://root:hunter2@localhost/x?socket=/nonexistent/mysqld.sock')"
expect_text "the unreachable server is named, its password masked" err.txt "mysql://root:\*\*\*@localhost/x.*Can't connect"
grep -q hunter2 err.txt && { echo "FAIL: the password was printed"; failures=$((failures + 1)); }
check "a MariaDB database that does not exist" 2 "$(run dump "$(url_with_db "$METAPORT_MYSQL_URL" mp_no_such_db)")"
expect_text "the missing database is named" err.txt "Unknown database 'mp_no_such_db'"
my_user="mp_cli_$$_${RANDOM}"
server_sql mysql "$METAPORT_MYSQL_URL" "CREATE USER '$my_user'@'localhost' IDENTIFIED BY 'right-pw'" || failures=$((failures + 1))
wrong="$(printf '%s' "${server_url[mysql]}" | sed -E "s#://[^@/]*@#://$my_user:wrong-pw@#")"
check "a wrong MariaDB password" 2 "$(run dump "$wrong")"
expect_text "access denied, password masked" err.txt "$my_user:\*\*\*@.*Access denied for user '$my_user'"
grep -q wrong-pw err.txt && { echo "FAIL: the password was printed"; failures=$((failures + 1)); }
server_sql mysql "$METAPORT_MYSQL_URL" "DROP USER '$my_user'@'localhost'"

# ---- a hand-made Metabase export --------------------------------------------------
check "init sqlite" 0 "$(run init sqlite://a.db)"
check "load without the data model fails" 1 "$(run load sqlite://a.db "$export_dir")"
expect_text "missing reference names file:line:col and path" out.txt \
  "orders_by_month.yaml:19:9: dataset_query.stages\[0\].breakout\[0\]\[2\]: references Field"
expect_text "and suggests --stub-missing" out.txt "stub-missing"
"$bin" dump sqlite://a.db empty.jsonl 2>/dev/null
check "nothing was written" 0 "$(grep -c '"kind"' empty.jsonl)"
check "load --stub-missing" 0 "$(run load sqlite://a.db "$export_dir" --stub-missing)"
expect_text "stubs are listed" out.txt 'Table \["Sample Database","PUBLIC","ORDERS"\]'
expect_text "placeholder users are listed" out.txt "User ana@example.com"
check "dump tree" 0 "$(run dump sqlite://a.db tree)"
"$validator" validate-schema --folder tree >validator.txt 2>&1
check "the Metabase validator accepts the dump" 0 $?
check "the dump holds the same documents as the export" 1 "$(run diff "$export_dir" tree)"
expect_text "only the placeholders were added" out.txt "^0 changed, 8 added, 0 removed, 8 unchanged"
test -f tree/collections/main/sales/orders_by_month.yaml || { echo "FAIL: the misplaced card is not in its collection's folder"; failures=$((failures + 1)); }

# ---- pipes and engines --------------------------------------------------------------
for engine in "${!server_url[@]}"; do
  url="${server_url[$engine]}"
  check "init $engine" 0 "$(run init "$url")"
  "$bin" dump sqlite://a.db - | "$bin" load "$url" - >pipe.txt 2>&1
  check "dump | load into $engine" 0 "${PIPESTATUS[1]}"
  check "tree from $engine" 0 "$(run dump "$url" "tree_$engine")"
  diff -r tree "tree_$engine" >/dev/null
  check "SQLite and $engine give byte-identical trees" 0 $?
  check "diff between SQLite and $engine" 0 "$(run diff sqlite://a.db "$url")"
done

# ---- data problems: exit 1 with where -------------------------------------------------------
printf 'metaport: dump\nformat: 1\nschema: bi\nversion: 99\n' >v99.yaml
check "a newer dump is refused" 1 "$(run load sqlite://a.db v99.yaml)"
expect_text "naming both versions" err.txt "version 99.*version 4"
# A full disk: the write error is named, the exit status is not 0.
"$bin" dump sqlite://a.db - >/dev/full 2>full.err
rc=$?
if ((rc != 0)); then echo "ok: a dump to a full disk fails (exit $rc)"; else echo "FAIL: a dump to a full disk exited 0"; failures=$((failures + 1)); fi
expect_text "the full disk is named" full.err "No space left on device"
# A record of a kind the schema does not have is a failure like any other:
# with --on-error abort (the default) nothing of the load is written.
{
  echo '{"metaport":"dump","format":1,"schema":"bi","version":3}'
  echo '{"kind":"Collection","entity":{"name":"Fine","entity_id":"FiNeCoLLeCTioN0000001"}}'
  echo '{"kind":"Gizmo","entity":{"name":"x"}}'
  echo '{"metaport":"end","counts":{"Collection":1,"Gizmo":1},"total":2}'
} >gizmo.jsonl
"$bin" init sqlite://gizmo.db >/dev/null 2>&1
check "a record of an unknown kind fails the load" 1 "$(run load sqlite://gizmo.db gizmo.jsonl)"
expect_text "unknown kind named with its line" out.txt "gizmo.jsonl:3:[0-9]+: unknown kind 'Gizmo'"
"$bin" dump sqlite://gizmo.db gizmo-after.jsonl 2>/dev/null
grep -q FiNeCoLLeCTioN0000001 gizmo-after.jsonl
check "and nothing of that load is written" 1 $?
mkdir -p bad/collections/main
printf 'name: Broken\nentity_id: BRoKeNCoLLeCTioN00001\nslug: [unclosed\nserdes/meta:\n- id: BRoKeNCoLLeCTioN00001\n  model: Collection\n' >bad/collections/main/broken.yaml
check "malformed YAML" 1 "$(run validate bad)"
expect_text "malformed YAML names file:line:col" out.txt "broken.yaml:[0-9]+:[0-9]+: invalid YAML"
printf 'name: Typo\nentity_id: TyPoCoLLeCTioN0000001\nslgu: typo\nserdes/meta:\n- id: TyPoCoLLeCTioN0000001\n  model: Collection\n' >bad/collections/main/broken.yaml
check "unknown field" 1 "$(run validate bad)"
expect_text "unknown field with line, column and a suggestion" out.txt "broken.yaml:3:[0-9]+: slgu: unknown field 'slgu' \(did you mean 'slug'\?\)"

# ---- a load killed halfway leaves the store as it was ----------------------------------------
# 20,000 collections in one jsonl dump, loaded with a progress line; killed
# with SIGKILL once it is writing.
{
  echo '{"metaport":"dump","format":1,"schema":"bi","version":3}'
  awk 'BEGIN { for (i = 0; i < 20000; i++) printf("{\"kind\":\"Collection\",\"entity\":{\"name\":\"Bulk %d\",\"entity_id\":\"BuLK%017d\"}}\n", i, i) }'
  echo '{"metaport":"end","counts":{"Collection":20000},"total":20000}'
} >bulk.jsonl
# kill_halfway STORE DUMP PATTERN WHAT: starts `load STORE DUMP` with a
# progress line, kills it with SIGKILL once stderr matches PATTERN, and checks
# that the store dumps exactly as before.
kill_halfway() {
  local store="$1" dump="$2" pattern="$3" what="$4" pid
  "$bin" dump "$store" before.jsonl 2>/dev/null
  "$bin" load "$store" "$dump" --progress always >kill.out 2>kill.err &
  pid=$!
  for _ in $(seq 1 1000); do
    grep -qE "$pattern" kill.err 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.01
  done
  if grep -qE "$pattern" kill.err && kill -9 "$pid" 2>/dev/null; then
    wait "$pid" 2>/dev/null
    "$bin" dump "$store" after.jsonl 2>/dev/null
    cmp -s before.jsonl after.jsonl
    check "SIGKILL $what leaves $store as it was" 0 $?
  else
    wait "$pid"
    echo "FAIL: could not kill the load of $store $what"; failures=$((failures + 1))
  fi
}
for store in sqlite://a.db "${server_url[@]}"; do
  kill_halfway "$store" bulk.jsonl writing "while it writes"
done
# Into an empty store a load writes while it reads ("loading N"): killed once
# 20,000 of its 60,000 records are in (a jsonl stream's total is known only
# at its end, so the line counts), it leaves the store empty.
{
  echo '{"metaport":"dump","format":1,"schema":"bi","version":3}'
  awk 'BEGIN { for (i = 0; i < 60000; i++) printf("{\"kind\":\"Collection\",\"entity\":{\"name\":\"Big %d\",\"entity_id\":\"BiGG%017d\"}}\n", i, i) }'
  echo '{"metaport":"end","counts":{"Collection":60000},"total":60000}'
} >big.jsonl
empties=(sqlite://empty.db)
for engine in "${!server_url[@]}"; do empties+=("$(fresh_store "$engine" empty)"); done
for store in "${empties[@]}"; do
  "$bin" init "$store" >/dev/null 2>&1
  kill_halfway "$store" big.jsonl 'loading [2-5][0-9]{4}' "while it streams into an empty store"
done
check "the interrupted streaming load, run again, succeeds" 0 "$(run load sqlite://empty.db big.jsonl)"
# The same streaming load by a PostgreSQL role that is not a superuser: it
# may not switch the foreign-key triggers off, so they check row by row; the
# outcome is the same.
plain="mp_plain_$$_${RANDOM}${RANDOM}"
pgdb="mp_cli_plain_$$_${RANDOM}${RANDOM}"
psql -q "$pg" -c "DROP DATABASE IF EXISTS ${pgdb}" -c "DROP ROLE IF EXISTS $plain" \
  -c "CREATE ROLE $plain LOGIN" -c "CREATE DATABASE ${pgdb} OWNER $plain" >/dev/null 2>&1
trap 'psql -q "$pg" -c "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" -c "DROP ROLE IF EXISTS $plain" >/dev/null 2>&1; drop_fresh_stores' EXIT
pgplain="$(printf '%s' "$pg" | sed -E "s#(postgres(ql)?://[^/]*/)[^?]*#\1${pgdb}#; s#user=[^&]*#user=$plain#")"
check "init as a plain PostgreSQL role" 0 "$(run init "$pgplain")"
check "a streaming load as a plain role" 0 "$(run load "$pgplain" big.jsonl)"
"$bin" dump "$pgplain" plain.jsonl 2>/dev/null
"$bin" dump sqlite://empty.db empty.jsonl 2>/dev/null
cmp -s plain.jsonl empty.jsonl
check "the plain role's store holds what SQLite's does" 0 $?

# And the store still works: the same load now succeeds.
check "the interrupted load, run again, succeeds" 0 "$(run load sqlite://a.db bulk.jsonl)"

echo "$failures failures"
((failures == 0))
