#!/usr/bin/env bash
# Git sync on a repository in Metabase's own serialization layout (`sync
# connect --layout serdes`, docs/sync.md), with real bare repositories and
# real processes:
#   - a development store pushes in the serdes layout: the branch holds
#     exactly what `dump --layout serdes` writes, byte for byte, and no
#     metaport.yaml;
#   - a production store connected without --layout recognises the layout
#     and pulls it; a one-field change is a one-line diff;
#   - Metabase's export committed by hand (tests/serdes/fixtures/export)
#     pulls into a store exactly as `load` reads it;
#   - switching an already connected store to another layout, or syncing a
#     branch that holds the other layout, is refused; a store connected
#     before the layout was recorded keeps working (the state table migrates);
#   - a development connect proves the remote writable with a dry push: a
#     read-only bare repository (file permissions) is refused at connect.
set -uo pipefail

bin="${METAPORT_BIN:-$TEST_SRCDIR/metaport/entities/bi/metaport_bi}"
export_dir="$TEST_SRCDIR/metaport/tests/serdes/fixtures/export"
# shellcheck source=tests/sync/sync_lib.sh
source "$TEST_SRCDIR/metaport/tests/sync/sync_lib.sh"
sync_workdir sync_serdes

D=sqlite://dev.db
P=sqlite://prod.db
git init -q --bare -b main repo.git
"$bin" init "$D" >/dev/null 2>&1 && "$bin" seed "$D" --size 120 >/dev/null 2>&1 || { echo "FAIL: cannot seed $D"; exit 1; }
"$bin" init "$P" >/dev/null 2>&1 || { echo "FAIL: init $P"; exit 1; }

# ---- usage -----------------------------------------------------------------------------------
check "an unknown layout" 2 "$(run sync connect "$D" repo.git --mode development --layout nosuch)"
expect_text "names the layouts there are" err.txt "has the tree layouts representation, serdes"

# ---- dev pushes in the serdes layout ---------------------------------------------------------------
check "dev connects with --layout serdes" 0 "$(run sync connect "$D" repo.git --mode development --layout serdes)"
expect_text "says which layout" out.txt "tree layout: serdes"
expect_same "the layout is in the sync state" "$(sqlite3 dev.db 'SELECT tree_layout FROM mp_sync__state')" "serdes"
expect_same "the first commit of an empty repository holds no metaport.yaml" \
  "$(git -C repo.git ls-tree -r --name-only main | wc -l)" 0
check "dev pushes" 0 "$(run sync push "$D" -m "Content in Metabase's layout")"
mkdir -p fromgit && git -C repo.git archive main | tar -x -C fromgit
"$bin" dump "$D" dumped --layout serdes >/dev/null 2>&1 || echo "FAIL: dump --layout serdes"
diff -r fromgit dumped >diff.txt
check "the branch's tree is byte for byte \`dump --layout serdes\`" 0 $?
[[ -e fromgit/metaport.yaml ]] && { echo "FAIL: the serdes branch has a metaport.yaml"; failures=$((failures + 1)); } ||
  echo "ok: no metaport.yaml on the branch"
expect_text "the files are Metabase's (entity_id-named, in type folders)" <(git -C repo.git ls-tree -r --name-only main) \
  "^collections/.*/cards/[A-Za-z0-9_-]{21}_.*\.yaml$"
check "a push with no change" 0 "$(run sync push "$D" -m "Nothing")"
expect_text "makes no commit" out.txt "nothing to push"
check "status" 0 "$(run sync status "$D")"
expect_text "status names the layout" out.txt "tree layout serdes"
expect_text "and has nothing to push" out.txt "no local changes since the last sync"
check "status --json" 0 "$(run sync status "$D" --json)"
expect_text "names the layout in its JSON" out.txt '"layout":"serdes"'
expect_text "with no change" out.txt '"changes":\[\]'

# ---- production recognises the layout and pulls ------------------------------------------------------
check "production connects without --layout" 0 "$(run sync connect "$P" repo.git --mode production)"
expect_text "and recognises the serdes layout" out.txt "tree layout: serdes"
check "production pulls" 0 "$(run sync pull "$P")"
# What the serdes layout keeps of dev's content is what `load` reads from the
# branch (secrets stay out of the repository: a database's details are null
# there, as in Metabase's exports).
as_loaded() {  # as_loaded NAME: the branch's tree, loaded into a new store sqlite://NAME.db
  rm -rf "$1.tree" "$1.db" && mkdir -p "$1.tree" && git -C repo.git archive main | tar -x -C "$1.tree" &&
    "$bin" init "sqlite://$1.db" >/dev/null 2>&1 && "$bin" load "sqlite://$1.db" "$1.tree" >/dev/null 2>&1
}
as_loaded branch1 || echo "FAIL: loading the branch's tree"
check "production holds what the branch holds" 0 "$(run diff sqlite://branch1.db "$P")"
check "production has no local change" 0 "$(run sync status "$P")"
expect_text "production is clean" out.txt "no local changes since the last sync"

# ---- a one-field change is a one-line diff -----------------------------------------------------------
card="$(sqlite3 dev.db "SELECT mp_key FROM mp_card WHERE name = 'Orders'")"
sqlite3 dev.db "UPDATE mp_card SET description = 'Every confirmed order (reviewed).' WHERE mp_key = '$card'"
check "dev pushes the edit" 0 "$(run sync push "$D" -m "Reword the Orders card")"
expect_text "one card modified, in place" out.txt "^  modified +Card .*cards/[A-Za-z0-9_-]{21}_orders\.yaml$"
expect_same "one file changed by one line" "$(git -C repo.git show --numstat --format= main)" \
  "$(git -C repo.git show --numstat --format= main | awk '$1 == 1 && $2 == 1' | head -1)"
expect_same "and no other file" "$(git -C repo.git show --numstat --format= main | wc -l)" 1
expect_text "the line is the description" <(git -C repo.git show --format= main) "^\+description: Every confirmed order \(reviewed\)\.$"
# A rename moves the file to its new label (the light comparison must see the placement change).
sqlite3 dev.db "UPDATE mp_card SET name = 'Orders reviewed' WHERE mp_key = '$card'"
check "dev pushes a rename" 0 "$(run sync push "$D" -m "Rename")"
expect_text "the card's file is renamed to its new label" out.txt "^  renamed +Card .*_orders\.yaml -> .*_orders_reviewed\.yaml$"
rm -rf fromgit dumped && mkdir -p fromgit && git -C repo.git archive main | tar -x -C fromgit
"$bin" dump "$D" dumped --layout serdes >/dev/null 2>&1
diff -r fromgit dumped >diff.txt
check "after the edits the branch is still byte for byte the serdes dump" 0 $?
check "production pulls the edits" 0 "$(run sync pull "$P")"
expect_text "as one update" out.txt "0 created, 1 updated, 0 deleted"
as_loaded branch2 || echo "FAIL: loading the branch's tree"
check "and holds what the branch holds again" 0 "$(run diff sqlite://branch2.db "$P")"
check "production differs from the first pull by the edited card alone" 1 "$(run diff sqlite://branch1.db "$P")"
expect_text "one changed entity" out.txt "^1 changed, 0 added, 0 removed"

# ---- switching layout is refused ----------------------------------------------------------------------
check "switching dev to the representation layout" 1 \
  "$(run sync connect "$D" repo.git --mode development --layout representation)"
expect_text "is refused with the reason" err.txt "in the serdes tree layout: switching it to representation is refused"
expect_same "and the store keeps its layout" "$(sqlite3 dev.db 'SELECT tree_layout FROM mp_sync__state')" "serdes"
check "connecting again with the same layout is fine" 0 "$(run sync connect "$D" repo.git --mode development --layout serdes)"
"$bin" init sqlite://fresh.db >/dev/null 2>&1
check "a new store asking for the other layout on a serdes branch" 1 \
  "$(run sync connect sqlite://fresh.db repo.git --mode production --layout representation)"
expect_text "is refused: the branch holds serdes" err.txt "holds a tree in the serdes layout, not representation"
check "and stays unconnected" 2 "$(run sync status sqlite://fresh.db)"

# ---- a store connected before the layout was recorded ----------------------------------------------------
git init -q --bare -b main plain.git
"$bin" init sqlite://old.db >/dev/null 2>&1 && "$bin" seed sqlite://old.db --size 40 >/dev/null 2>&1
check "a store connects in the default layout" 0 "$(run sync connect sqlite://old.db plain.git --mode development)"
expect_text "the representation layout" out.txt "tree layout: representation"
check "and pushes" 0 "$(run sync push sqlite://old.db -m "v1 layout")"
expect_text "the default branch carries metaport.yaml" <(git -C plain.git ls-tree --name-only main) "^metaport.yaml$"
# The state table as an older metaport made it: no tree_layout column.
sqlite3 old.db 'ALTER TABLE mp_sync__state DROP COLUMN tree_layout'
check "an old store's status" 0 "$(run sync status sqlite://old.db)"
expect_text "syncs in the default layout" out.txt "tree layout representation"
expect_text "with nothing changed" out.txt "no local changes since the last sync"
expect_same "its state table gained the column" "$(sqlite3 old.db "SELECT count(*) FROM pragma_table_info('mp_sync__state') WHERE name = 'tree_layout'")" 1
check "and it still pushes" 0 "$(run sync push sqlite://old.db -m "Nothing")"
expect_text "with nothing to push" out.txt "nothing to push"

# ---- Metabase's own export, committed by hand, pulls ---------------------------------------------------------
git init -q --bare -b main mb.git
git clone -q mb.git mbclone 2>/dev/null
cp -r "$export_dir"/. mbclone/
echo "# Our Metabase content" >mbclone/README.md
(cd mbclone && git add -A && git commit -qm "Metabase export" && git push -q origin main) || echo "FAIL: committing the export"
"$bin" init sqlite://mb.db >/dev/null 2>&1 && "$bin" init sqlite://loaded.db >/dev/null 2>&1
check "a store connects to Metabase's repository without --layout" 0 "$(run sync connect sqlite://mb.db mb.git --mode production)"
expect_text "recognising the serdes layout" out.txt "tree layout: serdes"
check "and pulls the export" 0 "$(run sync pull sqlite://mb.db)"
"$bin" load sqlite://loaded.db "$export_dir" >/dev/null 2>&1 || echo "FAIL: load of the export"
check "it holds what \`load\` reads from the export" 0 "$(run diff sqlite://mb.db sqlite://loaded.db)"
check "status after the pull" 0 "$(run sync status sqlite://mb.db)"
expect_text "nothing changed" out.txt "no local changes since the last sync"
# A development store over the same repository: everything identical, the README left alone.
"$bin" init sqlite://mbdev.db >/dev/null 2>&1 && "$bin" load sqlite://mbdev.db "$export_dir" >/dev/null 2>&1
check "a development store holding the export connects" 0 "$(run sync connect sqlite://mbdev.db mb.git --mode development)"
expect_text "and finds every file identical" out.txt " 0 different, 0 only in the store, 0 only on the branch: in sync"
check "a push makes no commit" 0 "$(run sync push sqlite://mbdev.db -m "Nothing")"
expect_text "nothing to push" out.txt "nothing to push"
sqlite3 mbdev.db "UPDATE mp_card SET description = 'Edited in metaport' WHERE mp_key = (SELECT min(mp_key) FROM mp_card)"
check "an edit pushes" 0 "$(run sync push sqlite://mbdev.db -m "Edit")"
expect_same "as one changed file" "$(git -C mb.git show --numstat --format= main | wc -l)" 1
expect_text "the README stays" <(git -C mb.git ls-tree --name-only main) "^README.md$"
# A broken file committed by hand: file and line, store unchanged.
(cd mbclone && git pull -q origin main &&
  f="$(git ls-files 'collections/*/cards/*.yaml' | head -1)" && printf 'name: [unclosed\n' >>"$f" &&
  git commit -qam "Broken by hand" && git push -q origin main) || echo "FAIL: committing a broken file"
check "a pull of a broken serdes file" 1 "$(run sync pull sqlite://mb.db)"
expect_text "names the file and line" err.txt "collections/.*/cards/.*\.yaml:[0-9]+"
expect_text "and leaves the store unchanged" err.txt "is unchanged"

# ---- a read-only repository is refused at a development connect --------------------------------------------------
# The dry push meets the file permissions as any push would. Root passes
# them by its capabilities: as root the connect runs without them
# (CAP_DAC_OVERRIDE and friends dropped from the bounding set), so that the
# mode bits count for it as for anyone.
git clone -q --bare repo.git ro.git && chmod -R a-w ro.git
"$bin" init sqlite://ro.db >/dev/null 2>&1
as_user=()
[[ "$(id -u)" == 0 ]] && as_user=(setpriv --bounding-set=-dac_override,-dac_read_search,-fowner --)
ro_run() { "${as_user[@]}" "$bin" "$@" >out.txt 2>err.txt; echo $?; }
if "${as_user[@]}" touch ro.git/refs/probe 2>/dev/null; then
  echo "FAIL: cannot make a read-only repository here (a write to ro.git/refs succeeded)"; failures=$((failures + 1))
fi
check "a development connect to a read-only repository" 1 "$(ro_run sync connect sqlite://ro.db ro.git --mode development)"
expect_text "is refused: not writable" err.txt "ro.git is not writable, and a development store pushes to it"
expect_text "after a dry push" err.txt "a dry push to a throw-away ref failed"
check "the store stays unconnected" 2 "$(ro_run sync status sqlite://ro.db)"
check "a production connect to it is fine (it only pulls)" 0 "$(ro_run sync connect sqlite://ro.db ro.git --mode production)"
expect_same "the dry push left no ref behind" "$(git -C ro.git for-each-ref refs/metaport | wc -l)" 0
chmod -R u+w ro.git
# A writable one gets the dry push, and keeps no trace of it.
git init -q --bare -b main w.git
"$bin" init sqlite://w.db >/dev/null 2>&1
check "a development connect to a writable repository" 0 "$(run sync connect sqlite://w.db w.git --mode development)"
expect_same "no probe ref stays" "$(git -C w.git for-each-ref | grep -c refs/metaport)" 0

echo "$failures failures"
((failures == 0))
