#!/usr/bin/env bash
# The fs binary as a real process, on real SQLite files and the PostgreSQL
# server of tests/run: dumps in JuiceFS's layout load and dump back byte for byte;
# a seeded volume goes SQLite -> jsonl -> PostgreSQL -> JuiceFS JSON ->
# SQLite and comes back byte-identical; pipes; --restore recomputes the
# counters; --subdir; names that are not UTF-8; a 100k-entry directory; bad
# JuiceFS JSON refused with its JSON path and nothing written.
# Needs METAPORT_PG_URL (tests/run starts the server); fails without it.
set -uo pipefail

bin="$TEST_SRCDIR/metaport/entities/fs/metaport_fs"
data="$TEST_SRCDIR/metaport/tests/fs/data/juicefs"
pg="${METAPORT_PG_URL:?METAPORT_PG_URL is not set: this test needs the PostgreSQL server tests/run starts}"
work="$TEST_TMPDIR/fs"
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1

failures=0
check() {  # check NAME EXPECTED_RC ACTUAL_RC
  if [[ "$2" != "$3" ]]; then
    echo "FAIL: $1: exit $3, expected $2"
    sed 's/^/    /' err.txt out.txt 2>/dev/null | head -20
    failures=$((failures + 1))
  else
    echo "ok: $1"
  fi
}
expect_text() {  # expect_text NAME FILE PATTERN
  if grep -qE -- "$3" "$2"; then echo "ok: $1"; else
    echo "FAIL: $1: no /$3/ in:"; sed 's/^/    /' "$2" | head -30; failures=$((failures + 1)); fi
}
same() {  # same NAME A B: byte-identical files
  if cmp -s "$2" "$3"; then echo "ok: $1"; else
    echo "FAIL: $1: $2 and $3 differ:"; diff "$2" "$3" | head -20 | sed 's/^/    /'; failures=$((failures + 1)); fi
}
run() { "$bin" "$@" >out.txt 2>err.txt; echo $?; }
count_records() { grep -c '"kind"' "$1"; }

pgdb="mp_fs_$$_${RANDOM}${RANDOM}"  # pids repeat across sandboxed tests
psql -q "$pg" -c "DROP DATABASE IF EXISTS $pgdb" >/dev/null || { echo "FAIL: cannot reach PostgreSQL at $pg"; exit 1; }
pg_url() { printf '%s' "$pg" | sed -E "s#(postgres(ql)?://[^/]*/)[^?]*#\1$1#"; }
fresh_pg() {  # a new empty database; prints its URL
  local db="${pgdb}_$1"
  psql -q "$pg" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
  dbs+=("$db")
  pg_url "$db"
}
dbs=()
trap 'for d in "${dbs[@]}"; do psql -q "$pg" -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1; done' EXIT

# ---- dumps in JuiceFS's layout (data/juicefs/README.md), both engines ----------------------
for f in volume legacy_volume; do
  for engine in sqlite pg; do
    if [[ $engine == sqlite ]]; then url="sqlite://$f.db"; else url="$(fresh_pg "${f//./_}")"; fi
    check "$f: init $engine" 0 "$(run init "$url")"
    check "$f: load into $engine" 0 "$(run load "$url" "$data/$f.json")"
    check "$f: dump from $engine as JuiceFS JSON" 0 "$(run dump "$url" "$f.$engine.json" --keep-secrets)"
    same "$f: $engine gives back the same bytes" "$data/$f.json" "$f.$engine.json"
  done
done
expect_text "volume: GBK names stay bytes (escaped as JuiceFS escapes them, rune by rune)" volume.sqlite.json \
  '"%CEļ%FE%202": \{'
"$bin" dump sqlite://volume.db ms.jsonl 2>/dev/null
expect_text "a hard link is one node with two entries" ms.jsonl '"parent":2,"name":"report.pdf","inode":5'
expect_text "... its second name" ms.jsonl '"parent":3,"name":"report-link","inode":5'
expect_text "a GBK name is stored escaped" ms.jsonl '"parent":10,"name":"%B1%A8%B8%E62023.txt","inode":11'
# Without --keep-secrets the secret is JuiceFS's "removed", as juicefs dump writes it.
for f in volume legacy_volume; do
  "$bin" dump "sqlite://$f.db" "plain.$f.json" 2>/dev/null
  same "$f without --keep-secrets: the same bytes (its secret was \"removed\" already)" "$data/$f.json" "plain.$f.json"
done

# ---- a seeded volume around the engines and formats --------------------------------------------
check "seed" 0 "$(run seed sqlite://a.db --size 3000)"
check "dump jsonl" 0 "$(run dump sqlite://a.db a.jsonl --keep-secrets)"
pgurl="$(fresh_pg rt)"
check "init postgres" 0 "$(run init "$pgurl")"
check "load jsonl into PostgreSQL" 0 "$(run load "$pgurl" a.jsonl)"
check "dump PostgreSQL as JuiceFS JSON (zstd)" 0 "$(run dump "$pgurl" a.json.zst --keep-secrets)"
check "init sqlite" 0 "$(run init sqlite://b.db)"
check "load the JuiceFS JSON into SQLite" 0 "$(run load sqlite://b.db a.json.zst)"
check "dump jsonl again" 0 "$(run dump sqlite://b.db b.jsonl --keep-secrets)"
same "SQLite -> jsonl -> PostgreSQL -> JuiceFS JSON -> SQLite is byte-identical" a.jsonl b.jsonl
check "gzip too" 0 "$(run dump sqlite://b.db b.json.gz --keep-secrets)"
gzip -dc b.json.gz >b.json
"$bin" dump "$pgurl" a.json --keep-secrets 2>/dev/null
same "the JuiceFS JSON from PostgreSQL and from SQLite agree" a.json b.json
check "PostgreSQL and SQLite hold the same" 0 "$(run diff "$pgurl" sqlite://b.db)"

# ---- pipes --------------------------------------------------------------------------------------
check "init c" 0 "$(run init sqlite://c.db)"
"$bin" dump sqlite://a.db - --keep-secrets 2>/dev/null | "$bin" load sqlite://c.db - >pipe.txt 2>&1
check "dump | load (jsonl)" 0 "${PIPESTATUS[1]}"
"$bin" dump sqlite://c.db c.jsonl --keep-secrets 2>/dev/null
same "through a pipe: the same" a.jsonl c.jsonl
check "init d" 0 "$(run init sqlite://d.db)"
"$bin" dump sqlite://a.db - --format juicefs --keep-secrets 2>/dev/null | "$bin" load sqlite://d.db - >pipe2.txt 2>&1
check "dump --format juicefs | load (recognised by its first bytes)" 0 "${PIPESTATUS[1]}"
"$bin" dump sqlite://d.db d.jsonl --keep-secrets 2>/dev/null
same "JuiceFS JSON through a pipe: the same" a.jsonl d.jsonl

# ---- --restore recomputes the counters -------------------------------------------------------
sed -E 's/"usedSpace":[0-9]+,"usedInodes":[0-9]+/"usedSpace":1,"usedInodes":2/' a.jsonl >wrong.jsonl
check "init e" 0 "$(run init sqlite://e.db)"
check "load with wrong counters" 0 "$(run load sqlite://e.db wrong.jsonl)"
"$bin" dump sqlite://e.db e.jsonl --keep-secrets 2>/dev/null
expect_text "without --restore the counters are kept as dumped" e.jsonl '"usedSpace":1,"usedInodes":2,'
check "init f" 0 "$(run init sqlite://f.db)"
check "load --restore" 0 "$(run load sqlite://f.db wrong.jsonl --restore)"
"$bin" dump sqlite://f.db f.jsonl --keep-secrets 2>/dev/null
same "--restore recomputes them (the seed's are right)" a.jsonl f.jsonl
check "--restore refuses a store that is not empty" 1 "$(run load sqlite://f.db wrong.jsonl --restore)"
expect_text "... and says so" err.txt "empty store"

# ---- --subdir -------------------------------------------------------------------------------------
check "dump --subdir /home/alice" 0 "$(run dump sqlite://a.db sub.jsonl --subdir /home/alice --keep-secrets)"
alice="$(grep -o '"parent":[0-9]*,"name":"alice","inode":[0-9]*' a.jsonl | sed 's/.*"inode"://')"
expect_text "the subtree's top comes first (after the volume's Setting and Counters)" <(sed -n 4p sub.jsonl) "\"inode\":$alice,"
total=$(count_records a.jsonl)
sub=$(count_records sub.jsonl)
((sub > 10 && sub < total / 4)) && echo "ok: a part of the volume ($sub of $total)" || { echo "FAIL: --subdir gave $sub of $total records"; failures=$((failures + 1)); }
if grep -q '"name":"alice"' sub.jsonl || grep -q '"name":"bob"' sub.jsonl; then
  echo "FAIL: --subdir holds entries outside the subtree"; failures=$((failures + 1)); else echo "ok: nothing from outside the subtree"; fi
check "dump --subdir as JuiceFS JSON" 0 "$(run dump sqlite://a.db sub.json --subdir home/alice)"
check "init g" 0 "$(run init sqlite://g.db)"
check "a subdirectory's dump loads as a volume (its top becomes the root, as in JuiceFS)" 0 "$(run load sqlite://g.db sub.json)"
"$bin" dump sqlite://g.db g.json 2>/dev/null
expect_text "... the root is inode 1" <(sed -n '/"FSTree"/,+1p' g.json) '"inode":1,'
check "--subdir of a path that is not there" 1 "$(run dump sqlite://a.db x.jsonl --subdir /home/nobody)"
expect_text "... names what is missing, and where" err.txt "no 'nobody' in /home"

# ---- names that are not UTF-8 --------------------------------------------------------------------
# JuiceFS escapes rune by rune: a byte that does not start a valid UTF-8
# sequence becomes %XX, and the GBK bytes D6 AD happen to be one (U+05AD),
# which stays as it is, as juicefs dump writes it.
u05ad=$'\xd6\xad'
expect_text "a GBK name in jsonl, escaped" a.jsonl "\"name\":\"%B9%FB$u05ad%CA%FD%BE%DD.txt\""
expect_text "... and in JuiceFS JSON" a.json "\"%B9%FB$u05ad%CA%FD%BE%DD.txt\": \\{"
expect_text "a UTF-8 name stays as it is" a.jsonl '"name":"果汁数据.txt"'
expect_text "space, %, quote and backslash escaped" a.jsonl '"name":"quote%22and%5Cbackslash"'
check "--subdir with bytes that are not UTF-8" 0 "$(run dump sqlite://a.db - --subdir "$(printf '/intl/\xff\xfe-not-utf8-link')")"

# ---- a directory of 100,000 entries ----------------------------------------------------------
python3 - <<'EOF' >wide.json
import json
print('{\n  "Setting": {\n    "Name": "wide",\n    "BlockSize": 4096,\n    "TrashDays": 1\n  },')
print('  "Counters": {\n    "usedSpace": 0,\n    "usedInodes": 0,\n    "nextInodes": 100003,\n    "nextChunk": 1,\n    "nextSession": 0,\n    "nextTrash": 0\n  },')
print('  "Sustained": [],\n  "DelFiles": [],')
print('  "FSTree": {')
print('    "attr": {"inode":1,"type":"directory","mode":511,"uid":0,"gid":0,"atime":1,"mtime":1,"ctime":1,"nlink":3,"length":0},')
print('    "entries": {')
print('      "big": {')
print('        "attr": {"inode":2,"type":"directory","mode":493,"uid":0,"gid":0,"atime":1,"mtime":1,"ctime":1,"nlink":2,"length":0},')
print('        "entries": {', end='')
n = 100000
# A third of the names start with a byte that is not UTF-8 (escaped %C0..%DF):
# JuiceFS orders entries by raw bytes, where they come after the plain names,
# their escaped text before; more than one sorted run of the writer's re-sort.
names = sorted((bytes([0xC0 + i % 32]) if i % 3 == 0 else b'') + b'f%06d' % i for i in range(n))
for i, raw in enumerate(names):
    name = ('%%%02X' % raw[0] + raw[1:].decode()) if raw[0] >= 0x80 else raw.decode()
    print('\n          "%s": {\n            "attr": {"inode":%d,"type":"regular","mode":420,"uid":0,"gid":0,"atime":1,"mtime":1,"ctime":1,"nlink":1,"length":0}\n          }%s' % (name, i + 3, "," if i + 1 < n else ""), end='')
print('\n        }\n      }\n    }\n  }\n}')
EOF
check "init w" 0 "$(run init sqlite://w.db)"
check "load a 100k-entry directory" 0 "$(run load sqlite://w.db wide.json)"
check "dump it back" 0 "$(run dump sqlite://w.db wide.back.json)"
same "the 100k-entry directory comes back byte for byte" wide.json wide.back.json
check "dump it as a tree" 0 "$(run dump sqlite://w.db wide_tree)"
biggest=$(find wide_tree -type d -exec sh -c 'ls "$1" | wc -l' _ {} \; | sort -n | tail -1)
((biggest <= 1000)) && echo "ok: no folder of the tree holds more than 1000 files ($biggest)" || { echo "FAIL: a folder of $biggest files"; failures=$((failures + 1)); }
check "init wt" 0 "$(run init sqlite://wt.db)"
check "load the tree" 0 "$(run load sqlite://wt.db wide_tree)"
"$bin" dump sqlite://wt.db wide.tree.json 2>/dev/null
same "tree -> store -> JuiceFS JSON: the same" wide.json wide.tree.json

# ---- bad JuiceFS JSON: the JSON path, nothing written ---------------------------------------------
bad() {  # bad NAME FILE PATTERN
  rm -f bad.db
  "$bin" init sqlite://bad.db 2>/dev/null
  check "$1: refused" 1 "$(run load sqlite://bad.db "$2")"
  expect_text "$1: says where" out.txt "$3"
  "$bin" dump sqlite://bad.db bad.jsonl 2>/dev/null
  check "$1: nothing was written" 0 "$(count_records bad.jsonl)"
}
small="$data/legacy_volume.json"
sed 's/"mode":420,"uid":0,"gid":0,"atime":1655000005/"mode":"rw","uid":0,"gid":0,"atime":1655000005/' "$small" >type.json
bad "a wrong type" type.json 'type.json:35:[0-9]+: FSTree.entries\["hello.txt"\].attr.mode: expected an integer'
head -c 1500 "$small" >cut.json
bad "a truncated file" cut.json 'cut.json:42:[0-9]+: .*truncated'
sed 's/"chunkid":1,"size":4,"len":4/"chunkid":1,"pos":67108864,"size":4,"len":4/' "$small" >slice.json
bad "a slice past its chunk" slice.json 'FSTree.entries\["hello.txt"\].chunks\[0\].slices\[0\].len: the slice ends at 67108868, past the end of its chunk'
python3 - "$small" <<'EOF'
import sys
s = open(sys.argv[1]).read()
hard = s.replace('"nlink":1,"length":4}', '"nlink":2,"length":4}')
twin = '''      "hello.hard": {
        "attr": {"inode":2,"type":"regular","mode":384,"uid":0,"gid":0,"atime":1655000005,"mtime":1655000005,"ctime":1655000005,"atimensec":1000,"mtimensec":2000,"ctimensec":2000,"nlink":2,"length":4},
        "chunks": [{"index":0,"slices":[{"chunkid":1,"size":4,"len":4}]}]
      },
'''
open('disagree.json', 'w').write(hard.replace('      "hello.txt": {', twin + '      "hello.txt": {'))
loop = s.replace('      "sub": {', '''      "loop": {
        "attr": {"inode":9,"type":"directory","mode":493,"uid":0,"gid":0,"atime":1,"mtime":1,"ctime":1,"nlink":3,"length":0},
        "entries": {
          "again": {
            "attr": {"inode":9,"type":"directory","mode":493,"uid":0,"gid":0,"atime":1,"mtime":1,"ctime":1,"nlink":3,"length":0},
            "entries": {
            }
          }
        }
      },
      "sub": {''')
open('cycle.json', 'w').write(loop)
open('quota.json', 'w').write(s.replace('  "Sustained": [],', '  "Sustained": [],\n  "Quotas": {\n    "77": {\n      "maxSpace": 1,\n      "maxInodes": 1\n    }\n  },'))
open('noattr.json', 'w').write(s.replace('"sub": {\n        "attr": {"inode":3,', '"sub": {\n        "atr": {"inode":3,'))
EOF
bad "two entries for one inode that disagree" disagree.json 'FSTree.entries\["hello.txt"\]: two entries for inode 2 disagree \(attr differs\): this one and FSTree.entries\["hello.hard"\]'
bad "a directory cycle" cycle.json 'FSTree.entries.loop.entries.again: a directory cycle: this is inode 9, the directory FSTree.entries.loop that contains it'
bad "a quota on an inode that is not there" quota.json 'Quotas\["77"\].inode: references Node 77, which is neither in the dump nor in the target store'
bad "an entry without its attr" noattr.json 'FSTree.entries.sub.attr: an entry needs its attr'

echo "$failures failures"
((failures == 0))
