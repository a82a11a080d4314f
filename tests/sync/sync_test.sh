#!/usr/bin/env bash
# Git sync end to end, as real processes around a real bare repository:
# two development stores (SQLite and PostgreSQL) and production stores
# (SQLite and PostgreSQL); a pull request merged by hand with plain git;
# every refusal; faults (the repository gone, a pull killed with SIGKILL,
# a broken file committed by hand). Needs METAPORT_PG_URL (tests/run starts
# the server) and the git CLI (to play the reviewer); fails without them.
set -uo pipefail

bin="${METAPORT_BIN:-$TEST_SRCDIR/metaport/entities/bi/metaport_bi}"
# shellcheck source=tests/support/stores.sh
source "$TEST_SRCDIR/metaport/tests/support/stores.sh"
# shellcheck source=tests/sync/sync_lib.sh
source "$TEST_SRCDIR/metaport/tests/sync/sync_lib.sh"
sync_workdir sync

# Fresh PostgreSQL databases (dropped at exit).
B="$(fresh_store postgres sync_b)" && Q="$(fresh_store postgres sync_q)" && R="$(fresh_store postgres sync_r)" ||
  { echo "FAIL: cannot reach PostgreSQL"; exit 1; }
A=sqlite://a.db
P=sqlite://p.db

git init -q --bare -b main repo.git
"$bin" init "$A" >/dev/null 2>&1 && "$bin" seed "$A" --size 300 >/dev/null 2>&1 || { echo "FAIL: cannot seed $A"; exit 1; }
for s in "$B" "$P" "$Q" "$R"; do "$bin" init "$s" >/dev/null 2>&1 || { echo "FAIL: init $s"; exit 1; }; done

# ---- usage ---------------------------------------------------------------------
check "connect without --mode" 2 "$(run sync connect "$A" repo.git)"
check "connect with a bad mode" 2 "$(run sync connect "$A" repo.git --mode staging)"
check "status of a store never connected" 2 "$(run sync status "$A")"
expect_text "says how to connect" err.txt "sync connect STORE REPO"
check "push without a message" 2 "$(run sync push "$A")"
check "pull --discard with --to-branch" 2 "$(run sync pull "$A" --discard --to-branch x)"
check "a token over plain http to another host" 2 "$(METAPORT_GIT_TOKEN=t0ken run sync connect "$A" http://example.invalid/r.git --mode development)"

# ---- faults at connect: the repository unreachable ------------------------------------------
check "connect to a repository that is not there" 1 "$(run sync connect "$A" "$work/nowhere.git" --mode development)"
expect_text "names the repository" err.txt "nowhere.git"
check "and the store is not connected" 2 "$(run sync status "$A")"

# ---- dev A: connect (an empty repository gets a first commit), push ---------------------------
check "dev A connects" 0 "$(run sync connect "$A" repo.git --mode development --author 'Dev A <a@example.com>')"
expect_text "the empty repository got a first commit" out.txt "first commit"
expect_same "one commit on main" "$(commits repo.git)" 1
check "status of A" 0 "$(run sync status "$A")"
expect_text "everything is new" out.txt "^[0-9]+ local changes since the last sync"
expect_text "created entities are listed with their files" out.txt "created +Database .*\.yaml"
check "A pushes" 0 "$(run sync push "$A" -m "First content")"
expect_same "the push made one commit" "$(commits repo.git)" 2
expect_same "author from the store's configuration" "$(git -C repo.git log -1 --format='%an <%ae>' main)" "Dev A <a@example.com>"
check "status after the push" 0 "$(run sync status "$A")"
expect_text "nothing left to push" out.txt "no local changes since the last sync"
check "a push with no change" 0 "$(run sync push "$A" -m "Nothing")"
expect_text "says so" out.txt "nothing to push"
expect_same "and makes no commit" "$(commits repo.git)" 2
# The branch holds exactly what a tree dump writes.
mkdir -p fromgit && git -C repo.git archive main | tar -x -C fromgit
"$bin" dump "$A" dumped >/dev/null 2>&1
diff -r fromgit dumped >diff.txt
check "the branch's tree is byte for byte the tree dump" 0 $?

# ---- determinism: the same content pushes the same tree ---------------------------------------------
git init -q --bare -b main other.git
"$bin" init sqlite://c.db >/dev/null 2>&1 && "$bin" dump "$A" - 2>/dev/null | "$bin" load sqlite://c.db - >/dev/null 2>&1
check "a copy of A connects to another repository" 0 "$(run sync connect sqlite://c.db other.git --mode development)"
check "and pushes" 0 "$(run sync push sqlite://c.db -m "Same content")"
expect_same "both repositories hold the same tree" "$(git -C other.git rev-parse 'main^{tree}')" "$(git -C repo.git rev-parse 'main^{tree}')"

# ---- dev B (PostgreSQL): connect, pull ---------------------------------------------------------
check "dev B connects" 0 "$(run sync connect "$B" repo.git --mode development)"
expect_text "connect compares the branch with the store" out.txt "only on the branch"
check "B pulls" 0 "$(run sync pull "$B")"
check "B holds what A holds" 0 "$(run diff "$A" "$B")"
check "B has no local change" 0 "$(run sync status "$B")"
expect_text "B is clean" out.txt "no local changes"

# ---- B edits one card; a re-save with the same content is no change ------------------------------
card="$(psql -qtA "$B" -c "SELECT mp_key FROM mp_card WHERE name = 'Orders'")"
other="$(psql -qtA "$B" -c "SELECT mp_key FROM mp_card WHERE name <> 'Orders' ORDER BY mp_key LIMIT 1")"
psql -q "$B" -c "UPDATE mp_card SET description = 'Every confirmed order (reviewed).' WHERE mp_key = '$card'" \
  -c "UPDATE mp_card SET name = name WHERE mp_key = '$other'" >/dev/null
check "status of B" 0 "$(run sync status "$B")"
expect_text "the edited card is listed" out.txt "modified +Card $card \"Orders\""
expect_text "exactly one change" out.txt "^1 local change since"
check "status --json" 0 "$(run sync status "$B" --json)"
expect_text "json lists the change" out.txt "\"change\":\"modified\",\"kind\":\"Card\",\"key\":\"$card\""
check "B pushes to a feature branch" 0 "$(run sync push "$B" -m "Orders: say it is reviewed" --to-branch feature/orders)"
git -C repo.git diff --numstat main feature/orders >numstat.txt
expect_same "a one-field change is a one-line diff" "$(awk '{print $1, $2}' numstat.txt)" "1 1"
expect_same "B now syncs with the feature branch" "$(psql -qtA "$B" -c 'SELECT branch FROM mp_sync__state')" "feature/orders"

# ---- the pull request, merged by hand ----------------------------------------------------------
git clone -q repo.git review
git -C review merge -q --no-ff origin/feature/orders -m "Merge feature/orders" && git -C review push -q origin main
check "merge pushed" 0 $?

# ---- production P (SQLite): connect, pull, read-only -----------------------------------------------
check "production P connects" 0 "$(run sync connect "$P" repo.git --mode production)"
check "P pulls main" 0 "$(run sync pull "$P")"
check "production holds exactly dev B's content" 0 "$(run diff "$B" "$P")"
expect_same "with the reviewed change" "$(sqlite3 p.db "SELECT description FROM mp_card WHERE mp_key = '$card'")" "Every confirmed order (reviewed)."
sqlite3 p.db "UPDATE mp_card SET name = 'hacked' WHERE mp_key = '$card'" >out.txt 2>err.txt
check "plain sqlite3 cannot update synced content (SQLITE_CONSTRAINT)" 19 $?
expect_text "the refusal says why" err.txt "synced read-only content"
sqlite3 p.db "DELETE FROM mp_collection" >out.txt 2>err.txt
check "nor delete it" 19 $?
check "production does not push" 1 "$(run sync push "$P" -m x)"
expect_text "says it only pulls" err.txt "only pulls"

# ---- production Q (PostgreSQL): the same, refused from psql -----------------------------------------
check "production Q connects" 0 "$(run sync connect "$Q" repo.git --mode production)"
check "Q pulls" 0 "$(run sync pull "$Q")"
psql -q "$Q" -c "UPDATE mp_card SET name = 'hacked' WHERE mp_key = '$card'" >out.txt 2>err.txt
check "plain psql cannot update synced content" 1 $?
expect_text "the refusal says why" err.txt "synced read-only content"
psql -q "$Q" -c "TRUNCATE mp_card CASCADE" >out.txt 2>err.txt
check "nor truncate it" 1 $?
check "Q holds what P holds" 0 "$(run diff "$P" "$Q")"

# ---- remote ahead; pull over unsynced changes ---------------------------------------------------------
sqlite3 a.db "UPDATE mp_card SET description = 'Edited in A' WHERE mp_key = '$other'"
check "A pushes while main moved" 1 "$(run sync push "$A" -m "A's edit")"
expect_text "remote is ahead" err.txt "remote is ahead"
expect_text "the commits are listed" err.txt "Merge feature/orders"
expect_text "with the entities they touch" err.txt "modified +Card $card"
check "A pulls over its unsynced change" 1 "$(run sync pull "$A")"
expect_text "unsynced local changes" err.txt "unsynced local changes"
expect_text "the changed entity is listed" err.txt "modified +Card $other"
check "pull --to-branch saves the change, then pulls" 0 "$(run sync pull "$A" --to-branch feature/a-edit -m "A's edit")"
expect_text "the change went to the new branch" out.txt "saved 1 local change to the new branch feature/a-edit"
expect_same "A has main's content" "$(sqlite3 a.db "SELECT description FROM mp_card WHERE mp_key = '$card'")" "Every confirmed order (reviewed)."
git -C repo.git diff --numstat main feature/a-edit | awk '{print $1, $2}' >numstat.txt
expect_same "the saved branch differs from main by A's line (and main's)" "$(sort numstat.txt | tr '\n' ' ')" "1 1 1 1 "

# ---- a new card, a rename and a deletion propagate -------------------------------------------------------
mkdir -p newcard/collections/main/sales
cp dumped/metaport.yaml newcard/
sed -e 's/^entity_id: .*/entity_id: SyncTestCard000000001/' -e 's/^name: .*/name: Sync test card/' \
  dumped/collections/main/sales/orders.yaml >newcard/collections/main/sales/sync_test_card.yaml
check "A loads a new card" 0 "$(run load "$A" newcard)"
check "A pushes it" 0 "$(run sync push "$A" -m "A new card")"
expect_text "created" out.txt "created +Card SyncTestCard000000001"
check "P pulls it" 0 "$(run sync pull "$P")"
expect_text "one created" out.txt "1 created"
id_before="$(sqlite3 p.db "SELECT mp_id FROM mp_card WHERE mp_key = '$other'")"
# The rename through a load (derived members such as the serdes/meta label
# follow the name), the deletion with plain SQL.
mkdir -p rename && cp dumped/metaport.yaml rename/
other_file="$(grep -rl "^entity_id: '\{0,1\}$other'\{0,1\}$" dumped/collections | head -1)"
mkdir -p "rename/$(dirname "${other_file#dumped/}")"
sed 's/^name: .*/name: Renamed in development/' "$other_file" >"rename/${other_file#dumped/}"
check "A renames a card (a load with --mode update)" 0 "$(run load "$A" rename --mode update)"
sqlite3 a.db "DELETE FROM mp_card WHERE mp_key = 'SyncTestCard000000001'"
check "status shows a rename and a deletion" 0 "$(run sync status "$A")"
expect_text "renamed, old file -> new file" out.txt "renamed +Card $other \"Renamed in development\" .*\.yaml -> .*renamed_in_development\.yaml"
expect_text "deleted" out.txt "deleted +Card SyncTestCard000000001 .*sync_test_card\.yaml"
check "A pushes them" 0 "$(run sync push "$A" -m "Rename one, drop one")"
git -C repo.git show --name-status --format= main >names.txt
expect_text "git sees the rename" names.txt "renamed_in_development\.yaml"
check "P pulls" 0 "$(run sync pull "$P")"
expect_text "one updated, one deleted" out.txt "1 updated, 1 deleted"
expect_same "the deletion propagated" "$(sqlite3 p.db "SELECT count(*) FROM mp_card WHERE mp_key = 'SyncTestCard000000001'")" 0
expect_same "a rename is an update: same row" "$(sqlite3 p.db "SELECT mp_id FROM mp_card WHERE mp_key = '$other'")" "$id_before"
check "P holds what A holds" 0 "$(run diff "$A" "$P")"

# ---- refusals: production connect over unsynced changes; references leaving the scope ----------------
"$bin" init sqlite://d.db >/dev/null 2>&1 && "$bin" seed sqlite://d.db --size 120 >/dev/null 2>&1
check "production connect with unsynced local changes" 1 "$(run sync connect sqlite://d.db repo.git --mode production)"
expect_text "refused: unsynced local changes" err.txt "unsynced local changes"
check "and the store stays unconnected" 2 "$(run sync status sqlite://d.db)"
coll="$(sqlite3 a.db "SELECT mp_key FROM mp_collection WHERE name LIKE 'Growth%' ORDER BY mp_key LIMIT 1")"
git init -q --bare -b main scoped.git
"$bin" init sqlite://s.db >/dev/null 2>&1 && "$bin" dump "$A" - 2>/dev/null | "$bin" load sqlite://s.db - >/dev/null 2>&1
check "connect with a collection scope" 0 "$(run sync connect sqlite://s.db scoped.git --mode development --collection "$coll")"
check "status names references out of the scope" 0 "$(run sync status sqlite://s.db)"
expect_text "entity, file, field path and target" out.txt "^  [A-Za-z]+ [^ ]+ \(collections/[^)]+\.yaml\) at [^ ]+ references [A-Za-z]+ [^ ]+, which is outside the synced scope"
check "push refuses them" 1 "$(run sync push sqlite://s.db -m "Scoped")"
expect_text "and names each" err.txt "\.yaml\) at [^ ]+ references [A-Za-z]+ [^ ]+, which is outside the synced scope"
# A reference to nothing (content deleted behind the store's back) in the whole scope.
target="$(sqlite3 a.db "SELECT mp_key FROM mp_card WHERE name = 'Orders'")"
sqlite3 a.db "PRAGMA foreign_keys = OFF; DELETE FROM mp_card WHERE mp_key = '$target'"
check "push refuses a reference to a deleted card" 1 "$(run sync push "$A" -m "Dangling")"
expect_text "naming the entity, field and target" err.txt "at dataset_query[^ ]* references Card $target, which does not exist"
check "pull --discard takes main's content back" 0 "$(run sync pull "$A" --discard)"
expect_text "the local change is dropped" out.txt "1 local change discarded"
check "A is in sync again" 0 "$(run diff "$A" "$P")"

# ---- watch: production auto-pull, logged -----------------------------------------------------------------
sqlite3 a.db "UPDATE mp_collection SET description = 'Watched' WHERE mp_key = '$coll'"
check "A pushes a change" 0 "$(run sync push "$A" -m "For the watcher")"
check "watch --once pulls it" 0 "$(run sync watch "$P" --once)"
expect_text "the pull is logged on stderr (time, commit, counts)" err.txt "^[0-9-]+T[0-9:]+Z pulled main at [0-9a-f]{10}: 0 created, 1 updated, 0 deleted"
check "status shows the sync log" 0 "$(run sync status "$P")"
expect_text "the watch's pull is in the log" out.txt "watch main [0-9a-f]{10}: 0 created, 1 updated, 0 deleted"
check "watch --once with nothing new" 0 "$(run sync watch "$P" --once)"
expect_text "says the branch is unchanged" err.txt "main unchanged at"
"$bin" sync watch "$P" --interval 1s >watch.out 2>watch.err &
wpid=$!
sleep 2
kill -TERM "$wpid"
wait "$wpid"
check "watch stops cleanly on SIGTERM" 0 $?
expect_text "and says so" watch.err "watch stopped"

# ---- faults: the repository gone --------------------------------------------------------------------------
"$bin" dump "$P" before.jsonl 2>/dev/null
mv repo.git repo.away
check "pull with the repository gone" 1 "$(run sync pull "$P")"
expect_text "a clear error naming it" err.txt "repo.git.*cannot"
expect_text "and that the store is unchanged" err.txt "is unchanged"
mv repo.away repo.git
"$bin" dump "$P" after.jsonl 2>/dev/null
cmp -s before.jsonl after.jsonl
check "the store is unchanged" 0 $?

# ---- faults: a broken file committed by hand -----------------------------------------------------------------
git -C review pull -q
sed -i 's/^collection_position: 1$/collection_position: first/' review/collections/main/sales/orders.yaml
git -C review commit -qam "Hand edit (broken)" && git -C review push -q origin main
synced_before="$(sqlite3 p.db 'SELECT synced_commit FROM mp_sync__state')"
check "pulling a broken file fails" 1 "$(run sync pull "$P")"
expect_text "naming the file with line, column and field path" err.txt "[0-9a-f]{10}:collections/main/sales/orders\.yaml:[0-9]+:[0-9]+: .*collection_position"
expect_text "and that nothing was pulled" err.txt "nothing was pulled"
expect_same "the store stays at its commit" "$(sqlite3 p.db 'SELECT synced_commit FROM mp_sync__state')" "$synced_before"
"$bin" dump "$P" after.jsonl 2>/dev/null
cmp -s before.jsonl after.jsonl
check "and unchanged" 0 $?
git -C review revert --no-edit HEAD >/dev/null && git -C review push -q origin main
check "once fixed, it pulls" 0 "$(run sync pull "$P")"

# ---- faults: a pull killed with SIGKILL while it loads -----------------------------------------------------------
bulk_collections 6000 bulk.jsonl
"$bin" load "$A" bulk.jsonl >/dev/null 2>&1
check "A pushes 6000 new collections" 0 "$(run sync push "$A" -m "Bulk")"
for store in "$P" "$Q"; do
  "$bin" dump "$store" before.jsonl 2>/dev/null
  if [[ "$store" == sqlite* ]]; then synced_before="$(sqlite3 p.db 'SELECT synced_commit FROM mp_sync__state')"
  else synced_before="$(psql -qtA "$Q" -c 'SELECT synced_commit FROM mp_sync__state')"; fi
  if kill_mid_pull "$store"; then
    "$bin" dump "$store" after.jsonl 2>/dev/null
    cmp -s before.jsonl after.jsonl
    check "SIGKILL mid-pull leaves $store as it was" 0 $?
    if [[ "$store" == sqlite* ]]; then synced_after="$(sqlite3 p.db 'SELECT synced_commit FROM mp_sync__state')"
    else synced_after="$(psql -qtA "$Q" -c 'SELECT synced_commit FROM mp_sync__state')"; fi
    expect_same "at its old commit" "$synced_after" "$synced_before"
  else
    echo "FAIL: could not kill the pull of $store while it loaded"; failures=$((failures + 1))
  fi
  check "the pull then completes" 0 "$(run sync pull "$store")"
  expect_text "with everything created" out.txt "6000 created"
done
check "production stores hold dev's content" 0 "$(run diff "$A" "$Q")"

# ---- triggers dropped or disabled behind the store's back are noticed ---------------------------------------
sqlite3 p.db "DROP TRIGGER mp_sync__g_mp_card_u"
sqlite3 p.db "UPDATE mp_card SET description = 'Sneaked in' WHERE mp_key = '$card'"
check "with a guard dropped, sqlite3 can write" 0 $?
check "status of P" 0 "$(run sync status "$P")"
expect_text "notices and makes the triggers again" err.txt "made them again"
expect_text "and finds the write" out.txt "modified +Card $card"
sqlite3 p.db "UPDATE mp_card SET description = 'Again' WHERE mp_key = '$card'" >out.txt 2>err.txt
check "the guard is back" 19 $?
check "pull --discard undoes the write" 0 "$(run sync pull "$P" --discard)"
psql -q "$Q" -c "ALTER TABLE mp_card DISABLE TRIGGER USER" -c "UPDATE mp_card SET description = 'Sneaked in' WHERE mp_key = '$card'" >/dev/null
check "status of Q with its triggers disabled" 0 "$(run sync status "$Q")"
expect_text "notices" err.txt "made them again"
expect_text "and finds the write" out.txt "modified +Card $card"
check "pull --discard" 0 "$(run sync pull "$Q" --discard)"
check "P and Q agree again" 0 "$(run diff "$P" "$Q")"

# ---- a collection scope: in production only the synced content is read-only ----------------------------------
git init -q --bare -b main part.git
"$bin" init sqlite://e.db >/dev/null 2>&1 && "$bin" dump "$A" - 2>/dev/null | "$bin" load sqlite://e.db - >/dev/null 2>&1
scope=""
for c in $(sqlite3 e.db "SELECT mp_key FROM mp_collection WHERE parent_id IS NULL AND name NOT LIKE 'Bulk %' ORDER BY mp_key"); do
  "$bin" sync connect sqlite://e.db part.git --mode development --collection "$c" >/dev/null 2>&1 || continue
  "$bin" sync status sqlite://e.db --json >status.json 2>/dev/null
  if grep -q '"outside_scope":\[\]' status.json && grep -q '"kind":"Card"' status.json; then scope="$c"; break; fi
done
if [[ -z "$scope" ]]; then echo "FAIL: no top-level collection of the sample holds together on its own"; failures=$((failures + 1)); fi
check "a self-contained collection pushes" 0 "$(run sync push sqlite://e.db -m "One collection")"
"$bin" dump "$A" - 2>/dev/null | "$bin" load "$R" - >/dev/null 2>&1
check "production R (everything loaded) connects to that scope" 0 "$(run sync connect "$R" part.git --mode production --collection "$scope")"
expect_text "and is in sync (its scope is identical)" out.txt "in sync at"
inside="$(psql -qtA "$R" -c "SELECT key FROM mp_sync__entity WHERE kind = 'Card' ORDER BY key LIMIT 1")"
outside="$(psql -qtA "$R" -c "SELECT c.mp_key FROM mp_card c WHERE c.dashboard_id IS NULL AND c.document_id IS NULL AND NOT EXISTS (SELECT 1 FROM mp_sync__entity e WHERE e.kind = 'Card' AND e.key = c.mp_key) ORDER BY c.mp_key LIMIT 1")"
[[ -n "$inside" && -n "$outside" ]] || { echo "FAIL: no card in and out of the scope ($inside/$outside)"; failures=$((failures + 1)); }
psql -q "$R" -c "UPDATE mp_card SET description = 'x' WHERE mp_key = '$inside'" >out.txt 2>err.txt
check "a card in the scope is read-only" 1 $?
psql -q "$R" -c "UPDATE mp_card SET description = 'x' WHERE mp_key = '$outside'" >out.txt 2>err.txt
check "a card outside it is not" 0 $?
psql -q "$R" -c "UPDATE mp_card SET collection_id = (SELECT mp_id FROM mp_collection WHERE mp_key = '$scope') WHERE mp_key = '$outside'" >out.txt 2>err.txt
check "moving a card into the synced collection is refused" 1 $?
copy_card() {  # copy_card STORE_URL KEY COLLECTION_KEY: a new card, a copy of KEY, in COLLECTION_KEY
  psql -q "$1" -c "CREATE TEMP TABLE t AS SELECT * FROM mp_card WHERE mp_key = '$2'" \
    -c "UPDATE t SET mp_id = mp_id + 1000000, mp_key = 'CopiedCard0000000000$4', entity_id = 'CopiedCard0000000000$4', collection_id = (SELECT mp_id FROM mp_collection WHERE mp_key = '$3')" \
    -c "INSERT INTO mp_card SELECT * FROM t"
}
other_coll="$(psql -qtA "$R" -c "SELECT mp_key FROM mp_collection WHERE parent_id IS NULL AND mp_key <> '$scope' ORDER BY mp_key LIMIT 1")"
copy_card "$R" "$outside" "$scope" 1 >out.txt 2>err.txt
check "a new card in the synced collection is refused" 1 $?
expect_text "as synced read-only content" err.txt "synced read-only content"
copy_card "$R" "$outside" "$other_coll" 2 >out.txt 2>err.txt
check "a new card elsewhere is not" 0 $?

# ---- branches -----------------------------------------------------------------------------------------------
check "branch NEW starts at the synced commit" 0 "$(run sync branch "$A" release/1)"
expect_same "at the synced commit" "$(git -C repo.git rev-parse release/1)" "$(git -C repo.git rev-parse main)"
sqlite3 a.db "UPDATE mp_card SET description = 'On release/1' WHERE mp_key = '$other'"
check "A pushes to release/1" 0 "$(run sync push "$A" -m "Release note")"
expect_same "main did not move" "$(git -C repo.git rev-parse main)" "$(git -C repo.git rev-parse release/1~1)"
sqlite3 a.db "UPDATE mp_card SET description = 'Unsynced' WHERE mp_key = '$other'"
check "--switch refuses over unsynced changes" 1 "$(run sync branch "$A" --switch main)"
expect_text "unsynced local changes" err.txt "unsynced local changes"
check "pull --discard" 0 "$(run sync pull "$A" --discard)"
check "--switch main" 0 "$(run sync branch "$A" --switch main)"
expect_same "A has main's content again" "$(sqlite3 a.db "SELECT description FROM mp_card WHERE mp_key = '$other'")" \
  "$(sqlite3 p.db "SELECT description FROM mp_card WHERE mp_key = '$other'")"

echo "$failures failures"
((failures == 0))
