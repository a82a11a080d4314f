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
# Hand-written streams: a minimal header, no end record, no counts; they load.
printf 'metaport: dump\nformat: 1\nschema: notes\nversion: 1\n' > hand.yaml
sed -n '/^---$/,$p' "$sample" | sed '/^metaport: end$/,$d' | sed '$d' >> hand.yaml
tail -n 3 hand.yaml
"$bin" init sqlite://h.db
"$bin" load sqlite://h.db hand.yaml | tee hand.txt
grep -E '^Note +2 +0 +0 +0' hand.txt
"$bin" dump sqlite://h.db h.jsonl
cmp a.jsonl h.jsonl
# An end record without counts (or with them) is still checked when present.
{ cat hand.yaml; printf -- '---\nmetaport: end\n'; } > hand_end.yaml
"$bin" init sqlite://he.db
"$bin" load sqlite://he.db hand_end.yaml >/dev/null
{ cat hand.yaml; printf -- '---\nmetaport: end\ntotal: 4\n'; } > hand_total.yaml
set +e
"$bin" load sqlite://he.db hand_total.yaml > total.txt 2>&1
rc=$?
set -e
test "$rc" -eq 1
grep -q "the end record's total is 4, the dump holds 3 records" total.txt
{ echo '{"metaport":"dump","format":1,"schema":"notes","version":1}'; grep '"kind"' a.jsonl; } > hand.jsonl
"$bin" init sqlite://hj.db
"$bin" load sqlite://hj.db hand.jsonl >/dev/null
"$bin" dump sqlite://hj.db hj.jsonl
cmp a.jsonl hj.jsonl
# metaport's own dump says so in its header (end: counts): cut before its
# end record, from a file or through a pipe, it is refused as truncated.
head -n 1 a.jsonl | grep -q '"end":"counts"'
head -n -1 a.jsonl > cut.jsonl
"$bin" init sqlite://t.db
set +e
"$bin" load sqlite://t.db cut.jsonl > cut.txt 2>&1
rc_cut=$?
("$bin" dump sqlite://a.db - | head -c "$(( $(stat -c %s a.jsonl) / 2 ))") | "$bin" load sqlite://t.db - > pipe.txt 2>&1
rc_pipe=$?
set -e
cat cut.txt pipe.txt
test "$rc_cut" -eq 1
grep -q 'the dump ends without its end record: truncated' cut.txt
test "$rc_pipe" -eq 1
grep -Eq 'truncated|ends in the middle' pipe.txt
"$bin" dump sqlite://t.db t.jsonl
test "$(grep -c '"kind"' t.jsonl)" -eq 0
# What the notes schema lacks is not offered: no sample data (seed), no
# container kind to select subtrees of (--collection).
"$bin" --help > help.txt
! grep -q '^  seed ' help.txt
"$bin" dump --help > dump_help.txt
! grep -q -- '--collection' dump_help.txt
set +e
"$bin" seed sqlite://s.db > seed.txt 2>&1
rc_seed=$?
"$bin" dump sqlite://a.db x.jsonl --collection NotebookIdeas00000001 > coll.txt 2>&1
rc_coll=$?
# validate takes dumps: a store URL is refused, saying so and what to do.
"$bin" validate sqlite://a.db > val.txt 2>&1
rc_val=$?
set -e
test "$rc_seed" -ne 0 && test ! -e s.db
test "$rc_coll" -ne 0 && test ! -e x.jsonl
test "$rc_val" -eq 2
grep -q 'validate checks a dump .*not a store: sqlite://a.db is a store URL' val.txt
grep -q -- '--against sqlite://a.db' val.txt
echo "downstream notes: OK"
