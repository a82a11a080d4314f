#!/usr/bin/env bash
# Git sync on every store engine of tests/support/engines.inc (SQLite,
# PostgreSQL, MySQL/MariaDB), as real processes around a real bare
# repository, with each engine's own client (sqlite3, psql, mariadb) as the
# other writer: production refuses its writes; development edits are found
# (a re-save is no change); a one-field change is a one-line diff; a pull
# followed by a push with no change makes no commit; `push --force` lists
# exactly what it overwrites; a deletion propagates; a pull killed with
# SIGKILL leaves the store at its old commit; a dropped trigger is noticed;
# `migrate` re-arms the sync (a version-1 store migrated to the current
# version keeps its guards, ids and synced state); a sync state table made
# before mp_sync__state.tree_layout gains the column and keeps working.
set -uo pipefail

bin="${METAPORT_BIN:-$TEST_SRCDIR/metaport/entities/bi/metaport_bi}"
v1bin="$TEST_SRCDIR/metaport/tests/evolution/metaport_bi_v1"
golden="$TEST_SRCDIR/metaport/tests/evolution/golden/v1/bi.jsonl"
# shellcheck source=tests/support/stores.sh
source "$TEST_SRCDIR/metaport/tests/support/stores.sh"
# shellcheck source=tests/sync/sync_lib.sh
source "$TEST_SRCDIR/metaport/tests/sync/sync_lib.sh"
sync_workdir sync_engines

# store_sql ENGINE URL SQL: a write with the engine's own client, as any
# other program would write (exit status and message kept).
store_sql() {
  case "$1" in
    sqlite) sqlite3 "${2#sqlite://}" "$3" ;;
    *) server_sql "$1" "$2" "$3" ;;
  esac
}
value() { server_query "$1" "$2" "$3"; }
# The guard trigger on mp_card that refuses an UPDATE.
drop_card_guard() {
  case "$1" in
    postgres) echo 'DROP TRIGGER "mp_sync__g_mp_card_r" ON "mp_card"' ;;
    *) echo 'DROP TRIGGER "mp_sync__g_mp_card_u"' ;;
  esac
}
# The lines of one section of describe_remote's listing in err.txt.
section() {  # section HEADING_PATTERN
  awk -v h="$1" '$0 ~ h { on = 1; next } /^[^ ]/ { on = 0 } on && /^  / { print }' err.txt
}

for engine in "${METAPORT_ENGINES[@]}"; do
  echo "==== $engine"
  repo="$work/$engine.git"
  git init -q --bare -b main "$repo"
  D="$(fresh_store "$engine" dev_d)" && E="$(fresh_store "$engine" dev_e)" && P="$(fresh_store "$engine" prod_p)" ||
    { echo "FAIL: no $engine stores"; failures=$((failures + 1)); continue; }
  "$bin" init "$D" >/dev/null 2>&1 && "$bin" seed "$D" --size 120 >/dev/null 2>&1 || { echo "FAIL: cannot seed $D"; failures=$((failures + 1)); continue; }
  "$bin" init "$E" >/dev/null 2>&1 && "$bin" init "$P" >/dev/null 2>&1 || { echo "FAIL: init on $engine"; failures=$((failures + 1)); continue; }

  # ---- development D pushes; development E and production P pull ------------------
  check "$engine: D connects" 0 "$(run sync connect "$D" "$repo" --mode development --author 'Dev D <d@example.com>')"
  check "$engine: D pushes" 0 "$(run sync push "$D" -m "First content")"
  check "$engine: E connects" 0 "$(run sync connect "$E" "$repo" --mode development --author 'Dev E <e@example.com>')"
  check "$engine: E pulls" 0 "$(run sync pull "$E")"
  check "$engine: P connects in production" 0 "$(run sync connect "$P" "$repo" --mode production)"
  check "$engine: P pulls" 0 "$(run sync pull "$P")"
  check "$engine: P holds what D holds" 0 "$(run diff "$D" "$P")"

  # ---- production refuses the engine client's writes ------------------------------------
  card="$(value "$engine" "$D" "SELECT \"mp_key\" FROM \"mp_card\" WHERE \"name\" = 'Orders'")"
  mapfile -t others < <(value "$engine" "$D" "SELECT \"mp_key\" FROM \"mp_card\" WHERE \"name\" <> 'Orders' ORDER BY \"mp_key\" LIMIT 3")
  [[ -n "$card" && ${#others[@]} == 3 ]] || { echo "FAIL: $engine: no cards to edit"; failures=$((failures + 1)); continue; }
  store_sql "$engine" "$P" "UPDATE \"mp_card\" SET \"name\" = 'hacked' WHERE \"mp_key\" = '$card'" >out.txt 2>err.txt
  check "$engine: the engine's client cannot update synced content" 1 "$(($? != 0))"
  expect_text "$engine: the refusal says why" err.txt "Card is synced read-only content"
  store_sql "$engine" "$P" "DELETE FROM \"mp_collection\"" >out.txt 2>err.txt
  check "$engine: nor delete it" 1 "$(($? != 0))"
  expect_text "$engine: saying why" err.txt "synced read-only content"

  # ---- development: an edit and a re-save; a one-line diff ------------------------------------
  store_sql "$engine" "$D" "UPDATE \"mp_card\" SET \"description\" = 'Every confirmed order (reviewed).' WHERE \"mp_key\" = '$card'" &&
    store_sql "$engine" "$D" "UPDATE \"mp_card\" SET \"name\" = \"name\" WHERE \"mp_key\" = '${others[0]}'"
  check "$engine: D's client writes" 0 $?
  check "$engine: status of D" 0 "$(run sync status "$D")"
  expect_text "$engine: exactly one change" out.txt "^1 local change since"
  expect_text "$engine: the edited card" out.txt "modified +Card $card \"Orders\""
  before="$(git -C "$repo" rev-parse main)"
  check "$engine: D pushes the edit" 0 "$(run sync push "$D" -m "Orders: reviewed")"
  expect_same "$engine: a one-field change is a one-line diff" "$(git -C "$repo" diff --numstat "$before" main | awk '{print $1, $2}')" "1 1"

  # ---- a pull followed by a push with no change makes no commit ------------------------------
  check "$engine: E pulls the edit" 0 "$(run sync pull "$E")"
  expect_text "$engine: one updated" out.txt ": 0 created, 1 updated, 0 deleted"
  n="$(commits "$repo")"
  check "$engine: E pushes with no change" 0 "$(run sync push "$E" -m "Nothing")"
  expect_text "$engine: says so" out.txt "nothing to push"
  expect_same "$engine: and makes no commit" "$(commits "$repo")" "$n"

  # ---- push --force lists exactly what it overwrites --------------------------------------------
  store_sql "$engine" "$E" "UPDATE \"mp_card\" SET \"description\" = 'Edited in E' WHERE \"mp_key\" = '${others[1]}'"
  check "$engine: E pushes its edit" 0 "$(run sync push "$E" -m "E's edit")"
  e_commit="$(git -C "$repo" rev-parse main)"
  store_sql "$engine" "$D" "UPDATE \"mp_card\" SET \"description\" = 'Edited in D' WHERE \"mp_key\" = '${others[2]}'"
  check "$engine: D's push is refused" 1 "$(run sync push "$D" -m "D's edit")"
  expect_text "$engine: remote is ahead" err.txt "remote is ahead"
  check "$engine: D pushes with --force" 0 "$(run sync push "$D" -m "D's edit" --force)"
  expect_text "$engine: it says it overwrites" err.txt "^--force: overwriting what main holds since the last sync:"
  expect_same "$engine: exactly the commit it overwrites" "$(section '^commits on main since the last sync:' | sed -E 's/^  [0-9a-f]+ //')" "E's edit (Dev E <e@example.com>)"
  expect_same "$engine: exactly the entity that commit touched" "$(section '^entities they touch:' | awk '{print $1, $2, $3}')" "modified Card ${others[1]}"
  expect_same "$engine: history is kept (E's commit is the parent)" "$(git -C "$repo" rev-parse main~1)" "$e_commit"
  rm -rf fromgit dumped && mkdir fromgit && git -C "$repo" archive main | tar -x -C fromgit && "$bin" dump "$D" dumped >/dev/null 2>&1
  diff -r fromgit dumped >diff.txt
  check "$engine: the branch holds exactly D's content" 0 $?
  check "$engine: P pulls" 0 "$(run sync pull "$P")"
  check "$engine: P holds what D holds" 0 "$(run diff "$D" "$P")"

  # ---- a new card, then its deletion, propagate ---------------------------------------------------------
  rm -rf newcard && mkdir -p newcard/collections/main/sales && cp dumped/metaport.yaml newcard/
  sed -e 's/^entity_id: .*/entity_id: SyncTestCard000000001/' -e 's/^name: .*/name: Sync test card/' \
    dumped/collections/main/sales/orders.yaml >newcard/collections/main/sales/sync_test_card.yaml
  check "$engine: D loads a new card" 0 "$(run load "$D" newcard)"
  check "$engine: D pushes it" 0 "$(run sync push "$D" -m "A new card")"
  check "$engine: P pulls it" 0 "$(run sync pull "$P")"
  expect_text "$engine: one created" out.txt ": 1 created, 0 updated, 0 deleted"
  store_sql "$engine" "$D" "DELETE FROM \"mp_card\" WHERE \"mp_key\" = 'SyncTestCard000000001'"
  check "$engine: D's status" 0 "$(run sync status "$D")"
  expect_text "$engine: lists the deletion" out.txt "deleted +Card SyncTestCard000000001 .*sync_test_card\.yaml"
  check "$engine: D pushes it" 0 "$(run sync push "$D" -m "Drop the card")"
  check "$engine: P pulls it" 0 "$(run sync pull "$P")"
  expect_text "$engine: one deleted" out.txt ": 0 created, 0 updated, 1 deleted"
  expect_same "$engine: the card is gone" "$(value "$engine" "$P" "SELECT count(*) FROM \"mp_card\" WHERE \"mp_key\" = 'SyncTestCard000000001'")" 0

  # ---- a pull killed with SIGKILL while it loads -------------------------------------------------------------
  bulk_collections 3000 bulk.jsonl
  "$bin" load "$D" bulk.jsonl >/dev/null 2>&1
  check "$engine: D pushes 3000 new collections" 0 "$(run sync push "$D" -m "Bulk")"
  "$bin" dump "$P" before.jsonl 2>/dev/null
  synced_before="$(value "$engine" "$P" 'SELECT "synced_commit" FROM "mp_sync__state"')"
  if kill_mid_pull "$P"; then
    "$bin" dump "$P" after.jsonl 2>/dev/null
    cmp -s before.jsonl after.jsonl
    check "$engine: SIGKILL mid-pull leaves the store as it was" 0 $?
    expect_same "$engine: at its old commit" "$(value "$engine" "$P" 'SELECT "synced_commit" FROM "mp_sync__state"')" "$synced_before"
  else
    echo "FAIL: $engine: could not kill the pull while it loaded"; failures=$((failures + 1))
  fi
  check "$engine: the pull then completes" 0 "$(run sync pull "$P")"
  expect_text "$engine: with everything created" out.txt "3000 created"

  # ---- a guard dropped behind the store's back is noticed ------------------------------------------------------
  store_sql "$engine" "$P" "$(drop_card_guard "$engine")" &&
    store_sql "$engine" "$P" "UPDATE \"mp_card\" SET \"description\" = 'Sneaked in' WHERE \"mp_key\" = '$card'"
  check "$engine: with the guard dropped, the client can write" 0 $?
  check "$engine: status of P" 0 "$(run sync status "$P")"
  expect_text "$engine: notices and makes the triggers again" err.txt "made them again"
  expect_text "$engine: and finds the write" out.txt "modified +Card $card"
  store_sql "$engine" "$P" "UPDATE \"mp_card\" SET \"description\" = 'Again' WHERE \"mp_key\" = '$card'" >out.txt 2>err.txt
  check "$engine: the guard is back" 1 "$(($? != 0))"
  check "$engine: pull --discard undoes the write" 0 "$(run sync pull "$P" --discard)"
  check "$engine: P holds what D holds" 0 "$(run diff "$D" "$P")"

  # ---- a sync state table from before mp_sync__state.tree_layout is migrated ------------------------
  store_sql "$engine" "$P" 'ALTER TABLE "mp_sync__state" DROP COLUMN "tree_layout"' >out.txt 2>err.txt
  check "$engine: the state table as an older metaport made it" 0 $?
  check "$engine: status of that store" 0 "$(run sync status "$P")"
  expect_text "$engine: syncs in the default layout" out.txt "tree layout representation"
  expect_same "$engine: the column is back, NULL (the default layout)" \
    "$(value "$engine" "$P" 'SELECT count(*) FROM "mp_sync__state" WHERE "tree_layout" IS NULL')" 1
  check "$engine: and P still pulls" 0 "$(run sync pull "$P")"
  expect_text "$engine: up to date" out.txt "is up to date"

  # ---- migrate re-arms the sync ---------------------------------------------------------------------------------
  # A version-1 development store V pushes; a version-1 production store W
  # pulls; both are migrated to the current version by the current binary.
  v1repo="$work/$engine-v1.git"
  git init -q --bare -b main "$v1repo"
  V="$(fresh_store "$engine" v1_dev)" && W="$(fresh_store "$engine" v1_prod)" ||
    { echo "FAIL: no $engine stores"; failures=$((failures + 1)); continue; }
  "$v1bin" init "$V" >/dev/null 2>&1 && "$v1bin" load "$V" "$golden" >/dev/null 2>&1 && "$v1bin" init "$W" >/dev/null 2>&1 &&
    "$v1bin" sync connect "$V" "$v1repo" --mode development >/dev/null 2>&1 && "$v1bin" sync push "$V" -m "Version 1" >/dev/null 2>&1 &&
    "$v1bin" sync connect "$W" "$v1repo" --mode production >/dev/null 2>&1 && "$v1bin" sync pull "$W" >/dev/null 2>&1
  check "$engine: version-1 stores sync" 0 $?
  check "$engine: the production store migrates" 0 "$(run migrate "$W")"
  expect_text "$engine: the sync is re-armed" err.txt "made them again"
  expect_text "$engine: its content stays synced" err.txt "re-rendered by the migrate taken as synced"
  v1card="$(value "$engine" "$W" "SELECT \"mp_key\" FROM \"mp_card\" ORDER BY \"mp_key\" LIMIT 1")"
  store_sql "$engine" "$W" "UPDATE \"mp_card\" SET \"description\" = 'x' WHERE \"mp_key\" = '$v1card'" >out.txt 2>err.txt
  check "$engine: the migrated production store refuses the client's write" 1 "$(($? != 0))"
  expect_text "$engine: as synced read-only content" err.txt "synced read-only content"
  expect_same "$engine: every synced entity points at its new row" \
    "$(value "$engine" "$W" "SELECT count(*) FROM \"mp_sync__entity\" e WHERE e.\"kind\" = 'Card' AND (e.\"id\" IS NULL OR e.\"id\" <> (SELECT c.\"mp_id\" FROM \"mp_card\" c WHERE c.\"mp_key\" = e.\"key\"))")" 0
  check "$engine: status of the migrated production store" 0 "$(run sync status "$W")"
  expect_text "$engine: no local changes" out.txt "no local changes since the last sync"
  check "$engine: the development store migrates" 0 "$(run migrate "$V")"
  check "$engine: status of the migrated development store" 0 "$(run sync status "$V")"
  expect_text "$engine: lists what the new version spells differently" out.txt "^[0-9]+ local changes? since the last sync"
  store_sql "$engine" "$V" "UPDATE \"mp_card\" SET \"description\" = 'After the migrate' WHERE \"mp_key\" = '$v1card'"
  check "$engine: it pushes them and an edit" 0 "$(run sync push "$V" -m "Version 3")"
  expect_text "$engine: the edit is marked" out.txt "modified +Card $v1card"
  expect_same "$engine: the branch is at the current version" "$(git -C "$v1repo" show main:metaport.yaml | sed -n 's/^version: //p')" \
    "$("$bin" dump "$V" - 2>/dev/null | head -1 | sed -E 's/.*"version":([0-9]+).*/\1/')"
  check "$engine: the production store pulls" 0 "$(run sync pull "$W")"
  check "$engine: and holds what development holds" 0 "$(run diff "$V" "$W")"
done

echo "$failures failures"
((failures == 0))
