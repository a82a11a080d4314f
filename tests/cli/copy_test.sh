#!/usr/bin/env bash
# `copy SRC DST` as real processes (docs/commands/copy.md), on every engine of
# tests/support/engines.inc (the servers tests/run starts; fails without them):
#   - seeded bi content SQLite -> MariaDB -> PostgreSQL -> SQLite through
#     copy, each hop verified, tree and jsonl dumps byte-identical at the end,
#     users carried whole (dumps leave them out; copy does not);
#   - a store created by the version-1 binary on MariaDB copied into
#     PostgreSQL at the current version: upgraded on the way, the same as
#     loading the version-1 dump, SRC untouched;
#   - into a store that already holds entities: a differing one with --mode
#     skip is reported (exit 1, the field named); --mode update makes DST
#     hold SRC (exit 0), DST's own entities counted, not a difference;
#   - errors: an unreachable DST (exit 2, password masked, nothing written),
#     a database that does not exist (not created), SRC = DST, --restore into
#     a non-empty store and a dry run (DST unchanged).
set -uo pipefail
bin="$TEST_SRCDIR/metaport/entities/bi/metaport_bi"
v1bin="$TEST_SRCDIR/metaport/tests/evolution/metaport_bi_v1"
golden="$TEST_SRCDIR/metaport/tests/evolution/golden/v1/bi.jsonl"
work="$TEST_TMPDIR/copy" && rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
# shellcheck source=tests/support/stores.sh
source "$TEST_SRCDIR/metaport/tests/support/stores.sh"
failures=0
ok() { echo "ok: $1"; }
fail() { echo "FAIL: $1"; failures=$((failures + 1)); }
check() {  # check NAME EXPECTED ACTUAL
  if [[ "$2" == "$3" ]]; then ok "$1"; else fail "$1: got '$3', expected '$2'"; fi
}
has() { grep -qE -- "$3" "$2" && ok "$1" || { fail "$1: no /$3/ in $2:"; sed 's/^/    /' "$2" | head -30; }; }
hasnt() { grep -qE -- "$3" "$2" && { fail "$1: /$3/ in $2"; grep -E -- "$3" "$2" | head -5; } || ok "$1"; }
run() { "$bin" "$@" >out.txt 2>err.txt; echo $?; }
same_tree() { diff -r "$1" "$2" >tree.diff && ok "$3" || { fail "$3:"; head -20 tree.diff; }; }
same_file() { cmp -s "$1" "$2" && ok "$3" || { fail "$3"; diff "$1" "$2" | head -10; }; }

"$bin" init sqlite://first.db 2>/dev/null
"$bin" seed sqlite://first.db --size 3000 2>/dev/null
"$bin" dump sqlite://first.db tree0 --keep-secrets 2>/dev/null
"$bin" dump sqlite://first.db first.jsonl --keep-secrets 2>/dev/null
users() { server_query "$1" "$2" "SELECT email, COALESCE(first_name, '-'), COALESCE(last_name, '-') FROM mp_user ORDER BY email"; }
users sqlite sqlite://first.db >users0.txt
[[ "$(wc -l <users0.txt)" -gt 100 ]] || fail "the seed has only $(wc -l <users0.txt) users"

# ---- SQLite -> MariaDB -> PostgreSQL -> SQLite, through copy ----------------------
hops=()
for ((i = ${#METAPORT_ENGINES[@]} - 1; i >= 0; i--)); do
  [[ "${METAPORT_ENGINES[i]}" != sqlite ]] && hops+=("${METAPORT_ENGINES[i]}")
done
hops+=(sqlite)
src=sqlite://first.db src_engine=sqlite n=0 path=sqlite
md5_before="$(md5sum <first.db)"
for engine in "${hops[@]}"; do
  n=$((n + 1))
  dst="$(fresh_store "$engine" "cp$n")" || { fail "no $engine store"; continue; }
  # DST has no metaport tables: copy creates them (SQLite: the file too).
  check "copy $src_engine -> $engine exit" 0 "$(run copy "$src" "$dst")"
  has "copy $src_engine -> $engine verified" out.txt "^verified: DST holds the 3028 entities of SRC, identical$"
  has "copy $src_engine -> $engine: users carried" out.txt "^User +147 "
  users "$engine" "$dst" >"users$n.txt"
  same_file users0.txt "users$n.txt" "users whole in $engine (names too, not placeholders)"
  path+=" -> $engine"
  src="$dst" src_engine="$engine"
done
"$bin" dump "$src" tree_end --keep-secrets 2>/dev/null
"$bin" dump "$src" end.jsonl --keep-secrets 2>/dev/null
same_tree tree0 tree_end "tree byte-identical after $path"
same_file first.jsonl end.jsonl "jsonl byte-identical after $path"
check "SRC untouched by copy" "$md5_before" "$(md5sum <first.db)"

# ---- an older version: bi 1 on MariaDB -> bi 3 on PostgreSQL --------------------
"$bin" init sqlite://expected.db 2>/dev/null
"$bin" load sqlite://expected.db "$golden" >/dev/null
"$bin" dump sqlite://expected.db expected.jsonl --keep-secrets 2>/dev/null
old="$(fresh_store mysql v1)" && new="$(fresh_store postgres v3)" || fail "no stores for the version test"
"$v1bin" init "$old" 2>/dev/null
"$v1bin" load "$old" "$golden" >/dev/null
"$v1bin" dump "$old" old-before.jsonl --keep-secrets 2>/dev/null
check "copy bi 1 on MariaDB -> PostgreSQL exit" 0 "$(run copy "$old" "$new")"
has "the copy says it upgraded" out.txt "upgraded from bi version 1 to 3 while loading"
has "the upgraded copy is verified" out.txt "^verified: DST holds the 44 entities of SRC, identical$"
"$bin" dump "$new" new.jsonl --keep-secrets 2>/dev/null
same_file expected.jsonl new.jsonl "the copy holds what loading the version-1 dump gives"
server_query postgres "$new" "SELECT \"schema\", version FROM mp_schema_version" >version.txt
has "DST is at version 3" version.txt "^bi	3$"
"$v1bin" dump "$old" old-after.jsonl --keep-secrets 2>/dev/null
same_file old-before.jsonl old-after.jsonl "the version-1 SRC is untouched"

# ---- into a store that holds entities ------------------------------------------
# DST holds one collection of SRC under another name, and one of its own.
line="$(grep -m1 '"kind":"Collection".*"parent_id":null' first.jsonl)"
id="$(printf '%s' "$line" | sed -E 's/.*"entity_id":"([^"]+)".*/\1/')"
name="$(printf '%s' "$line" | sed -E 's/.*"entity":\{"name":"([^"]+)".*/\1/')"
{
  echo '{"metaport":"dump","format":1,"schema":"bi","version":3}'
  printf '%s\n' "$line" | sed -E 's/"entity":\{"name":"[^"]+"/"entity":{"name":"Renamed in production"/'
  printf '%s\n' "$line" | sed -E 's/"entity":\{"name":"[^"]+"/"entity":{"name":"Production only"/; s/"entity_id":"[^"]+"/"entity_id":"prodOnlyCollection000"/'
  echo '{"metaport":"end","counts":{"Collection":2},"total":2}'
} >prod.jsonl
for engine in "${METAPORT_ENGINES[@]}"; do
  dst="$(fresh_store "$engine" busy)" || { fail "no $engine store"; continue; }
  "$bin" init "$dst" 2>/dev/null
  "$bin" load "$dst" prod.jsonl >load.txt || { fail "$engine: load prod.jsonl"; cat load.txt; }
  check "$engine: copy into a store that differs (--mode skip) exit" 1 "$(run copy sqlite://first.db "$dst")"
  has "$engine: the differing collection is named" out.txt "^~ Collection $id "
  has "$engine: its field, SRC's value -> DST's" out.txt "^    name: \"$name\" -> \"Renamed in production\"$"
  has "$engine: the count" out.txt "^not verified: 0 entities of SRC missing in DST, 1 different$"
  hasnt "$engine: DST's own collection is no difference" out.txt "prodOnlyCollection000"
  check "$engine: copy --mode update exit" 0 "$(run copy sqlite://first.db "$dst" --mode update)"
  has "$engine: --mode update verified, DST's own counted" out.txt \
    "^verified: DST holds the 3028 entities of SRC, identical \(and 1 entities SRC does not have\)$"
  check "$engine: --report json exit" 0 "$(run copy sqlite://first.db "$dst" --report json)"
  has "$engine: --report json" out.txt '"holds_source":true'
done

# ---- errors: exit 2 or 1, nothing written ----------------------------------------
check "unreachable MariaDB DST" 2 "$(run copy sqlite://first.db 'mysql://root:hunter2@localhost/x?socket=/nonexistent/mysqld.sock')"
has "the unreachable DST is named, its password masked" err.txt "mysql://root:\*\*\*@localhost/x.*Can't connect"
hasnt "no password printed" err.txt hunter2
check "unreachable PostgreSQL DST" 2 "$(run copy sqlite://first.db 'postgresql:///x?host=/nonexistent&port=1')"
check "SQLite DST in a folder that does not exist" 2 "$(run copy sqlite://first.db sqlite://no/such/dir/x.db)"
check "a MariaDB DST database that does not exist" 2 "$(run copy sqlite://first.db "$(url_with_db "$METAPORT_MYSQL_URL" mp_copy_no_such_db)")"
has "the missing database is named" err.txt "Unknown database 'mp_copy_no_such_db'"
server_query mysql "$METAPORT_MYSQL_URL" "SHOW DATABASES LIKE 'mp_copy_no_such_db'" >dbs.txt
check "copy did not create the missing database" 0 "$(wc -l <dbs.txt)"
check "unreachable SRC" 2 "$(run copy 'postgresql:///x?host=/nonexistent&port=1' sqlite://never.db)"
test ! -e never.db && ok "an unreachable SRC creates no DST file" || fail "never.db was created"
check "SRC = DST" 2 "$(run copy sqlite://first.db sqlite://first.db)"
check "SRC without metaport tables" 1 "$(run copy "$(fresh_store postgres empty)" sqlite://never2.db)"
has "an empty SRC is named" err.txt "has no metaport schema"
for engine in "${METAPORT_ENGINES[@]}"; do
  dst="$(fresh_store "$engine" restore)" || { fail "no $engine store"; continue; }
  "$bin" init "$dst" 2>/dev/null
  "$bin" load "$dst" prod.jsonl >/dev/null
  "$bin" dump "$dst" before.jsonl 2>/dev/null
  check "$engine: copy --restore into a non-empty store" 1 "$(run copy sqlite://first.db "$dst" --restore)"
  has "$engine: --restore says why" err.txt "already holds entities"
  check "$engine: copy --dry-run" 0 "$(run copy sqlite://first.db "$dst" --dry-run)"
  has "$engine: a dry run is not verified" out.txt "^dry run: not verified$"
  "$bin" dump "$dst" after.jsonl 2>/dev/null
  same_file before.jsonl after.jsonl "$engine: --restore and --dry-run wrote nothing"
done

echo "$failures failures"
((failures == 0))
