#!/usr/bin/env bash
# The service's own program (notes_api.cc) writes through the typed store
# API; the store then dumps exactly as the same content loaded from a file
# does, the git sync's status lists every edit, and the loader's errors come
# back from the API.
set -euo pipefail
here="$(dirname "$0")"
bin="$here/metaport_notes"
api="$here/notes_api"
[[ -x "$bin" ]] || bin="$TEST_SRCDIR/downstream/notes/metaport_notes"
[[ -x "$api" ]] || api="$TEST_SRCDIR/downstream/notes/notes_api"
expected="$TEST_SRCDIR/downstream/notes/api_expected.yaml"
work="$TEST_TMPDIR/api"
rm -rf "$work" && mkdir -p "$work" && cd "$work"

"$bin" init sqlite://api.db
git init -q --bare -b main repo.git
"$bin" sync connect sqlite://api.db repo.git --mode development --author 'Dev <dev@example.com>'
"$api" sqlite://api.db write
"$api" sqlite://api.db list | tee list.txt
diff <(printf 'Ideas\nRe: ideas\n') list.txt

# What the API wrote dumps as the same content loaded from a file.
"$bin" init sqlite://loaded.db
"$bin" load sqlite://loaded.db "$expected" >/dev/null
"$bin" dump sqlite://api.db api.yaml
"$bin" dump sqlite://loaded.db loaded.yaml
cmp api.yaml loaded.yaml
"$bin" dump sqlite://api.db api.jsonl
"$bin" dump sqlite://loaded.db loaded.jsonl
cmp api.jsonl loaded.jsonl
grep -q 'NoteDraft' api.yaml && { echo "the erased note is still there"; exit 1; }

# The sync saw the API's edits (triggers on the kind tables).
"$bin" sync status sqlite://api.db | tee status.txt
grep -q '3 local changes' status.txt
grep -Eq 'created +Notebook NotebookIdeas00000001' status.txt
grep -Eq 'created +Note NoteReply000000000001' status.txt
grep -q 'NoteDraft' status.txt && { echo "an erased new note is not a change"; exit 1; }

# The loader's errors, from the API; nothing written.
set +e
"$api" sqlite://api.db dangling 2> dangling.txt
rc_dangling=$?
"$api" sqlite://api.db orphan 2> orphan.txt
rc_orphan=$?
set -e
cat dangling.txt orphan.txt
test "$rc_dangling" -eq 1
grep -q 'NoteMissing0000000001' dangling.txt
grep -q 'neither in the dump nor in the target store' dangling.txt
test "$rc_orphan" -eq 1
grep -q 'Notebook NotebookIdeas00000001: cannot be erased: Note NoteFirst000000000001 refers to it (notebook_id)' orphan.txt
"$bin" dump sqlite://api.db after.yaml
cmp api.yaml after.yaml
echo "downstream notes API: OK"
