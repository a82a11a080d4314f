#!/usr/bin/env bash
# The downstream binary, run as a real process: init, load (out of order
# records, a reply before the note it replies to), dump to a tree and back.
set -euo pipefail
bin="$(dirname "$0")/metaport_notes"
[[ -x "$bin" ]] || bin="$TEST_SRCDIR/downstream/notes/metaport_notes"
sample="$TEST_SRCDIR/downstream/notes/sample.yaml"
work="$TEST_TMPDIR/w"
rm -rf "$work" && mkdir -p "$work" && cd "$work"

"$bin" init sqlite://a.db
"$bin" load sqlite://a.db "$sample" | tee report.txt
grep -E '^Note +2 +0 +0 +0' report.txt
grep -E '^Notebook +1 +0 +0 +0' report.txt
"$bin" dump sqlite://a.db tree
test -f tree/metaport.yaml
test -f tree/notebook/ideas.yaml
test -f tree/notebook/ideas/note/ideas.yaml
grep -q 'replies_to: NoteFirst000000000001' tree/notebook/ideas/note/re__ideas.yaml
"$bin" init sqlite://b.db
"$bin" load sqlite://b.db tree >/dev/null
"$bin" dump sqlite://a.db a.jsonl
"$bin" dump sqlite://b.db b.jsonl
cmp a.jsonl b.jsonl
# A tree without metaport.yaml: which version its files were written for is
# not guessed; the load refuses it (exit 1), says what to add, loads nothing.
cp -r tree bare && rm bare/metaport.yaml
"$bin" init sqlite://d.db
set +e
"$bin" load sqlite://d.db bare > bare.txt 2>&1
rc=$?
set -e
test "$rc" -eq 1
grep -q 'no metaport.yaml' bare.txt
grep -q 'schema: notes' bare.txt
"$bin" dump sqlite://d.db d.jsonl
test "$(grep -c '"kind"' d.jsonl)" -eq 0
# With the file the message asks for, the same tree loads.
printf 'format: 1\nschema: notes\nversion: %s\n' "$(sed -n 's/^version: //p' tree/metaport.yaml)" > bare/metaport.yaml
"$bin" load sqlite://d.db bare >/dev/null
"$bin" dump sqlite://d.db d.jsonl
cmp a.jsonl d.jsonl
# A dangling reference is a data problem: exit 1, nothing written.
sed 's/replies_to: NoteFirst000000000001/replies_to: NoteMissing0000000001/' "$sample" > bad.yaml
"$bin" init sqlite://c.db
set +e
"$bin" load sqlite://c.db bad.yaml > bad.txt
rc=$?
set -e
test "$rc" -eq 1
grep -q 'neither in the dump nor in the target store' bad.txt
"$bin" dump sqlite://c.db c.jsonl
test "$(grep -c '"kind"' c.jsonl)" -eq 0
echo "downstream notes: OK"
