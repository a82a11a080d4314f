#!/usr/bin/env bash
# Memory is bounded: the peak RSS (/usr/bin/time -f %M) of real metaport_fs
# processes on a seeded volume of ~200k entities, each against the bound of
# docs/memory.md (256 MiB): dumps to jsonl, JuiceFS JSON and the tree layout
# (on a fifth of the volume: see below);
# a planned load (--mode update into a store that already holds the volume)
# and a streamed load (into an empty store), jsonl and JuiceFS JSON. Each
# load's result is checked too (the same volume comes back), so a process
# that fails early cannot pass on a small peak. SQLite only: the bound is on
# metaport's process, whatever the engine. The big sizes are in bench/.
set -uo pipefail

bin="$TEST_SRCDIR/metaport/entities/fs/metaport_fs"
size="${METAPORT_MEMORY_TEST_SIZE:-100000}"  # seed --size: ~2 entities per file
bound_kb=$((256 * 1024))
work="$TEST_TMPDIR/mem"
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# measure NAME ARGS...: runs metaport_fs ARGS, checks its exit status and peak RSS.
measure() {
  local name="$1"; shift
  /usr/bin/time -o rss.txt -f '%M %e' "$bin" "$@" >out.txt 2>err.txt
  local rc=$? kb secs
  read -r kb secs <rss.txt
  if ((rc != 0)); then fail "$name: exit $rc"; sed 's/^/    /' err.txt | head -10; return; fi
  if ((kb > bound_kb)); then fail "$name: peak RSS $((kb / 1024)) MiB, over the bound of $((bound_kb / 1024)) MiB"
  else printf 'ok: %-46s peak RSS %4d MiB (%s s)\n' "$name" $((kb / 1024)) "$secs"; fi
}
same() {  # same NAME A B
  if cmp -s "$2" "$3"; then echo "ok: $1"; else fail "$1: $2 and $3 differ"; diff "$2" "$3" | head -5; fi
}

"$bin" seed sqlite://a.db --size "$size" >seed.txt 2>&1 || { fail "seed"; cat seed.txt; exit 1; }
entities="$(grep -o 'seeded [0-9]*' seed.txt | grep -o '[0-9]*')"
echo "seeded $entities entities (seed --size $size)"
((entities >= 200000)) || fail "the volume should hold a few hundred thousand entities, not $entities"

measure "dump -> jsonl" dump sqlite://a.db a.jsonl --keep-secrets
measure "dump -> JuiceFS JSON" dump sqlite://a.db a.json --format juicefs --keep-secrets
# The tree layout writes a file per entity: at the full size that is ~200k
# files and ~1 GiB, whose creation and removal alone take minutes on a busy
# disk. It is measured on a fifth of the volume (a separate seed); the full
# size is in docs/memory.md, measured by hand.
"$bin" seed sqlite://t.db --size $((size / 5)) >/dev/null 2>&1 || fail "seed t"
measure "dump -> tree (a fifth of the volume)" dump sqlite://t.db t_tree --format tree --keep-secrets
trees=$(find t_tree -type f | wc -l)
((trees > 1000)) && echo "ok: the tree holds $trees files" || fail "the tree holds only $trees files"
rm -rf t_tree t.db

# Every inode's mtime changed: the planned load updates each node.
cp a.db u.db
sed -E 's/"mtime":[0-9]+/"mtime":1700000000/' a.jsonl >m.jsonl
measure "planned load: jsonl --mode update, full store" load sqlite://u.db m.jsonl --mode update
updated="$(awk '$1 == "total" {print $3}' out.txt)"
nodes="$(grep -c '"kind":"Node"' a.jsonl)"
((updated == nodes)) && echo "ok: it updated the $nodes nodes" || fail "it updated ${updated:-?} records, not the $nodes nodes"
"$bin" dump sqlite://u.db u.jsonl --keep-secrets 2>/dev/null
same "... the store holds the changed volume" m.jsonl u.jsonl
rm -f u.db u.jsonl m.jsonl

"$bin" init sqlite://s.db >/dev/null 2>&1
measure "streamed load: jsonl into an empty store" load sqlite://s.db a.jsonl
"$bin" dump sqlite://s.db s.jsonl --keep-secrets 2>/dev/null
same "... the same volume" a.jsonl s.jsonl
rm -f s.db s.jsonl

"$bin" init sqlite://j.db >/dev/null 2>&1
measure "streamed load: JuiceFS JSON into an empty store" load sqlite://j.db a.json
"$bin" dump sqlite://j.db j.jsonl --keep-secrets 2>/dev/null
same "... the same volume" a.jsonl j.jsonl

echo "$failures failures"
((failures == 0))
