#!/usr/bin/env bash
# The round trip of issue 4, on seeded bi content, through real processes:
#   SQLite -> tree -> PostgreSQL -> jsonl -> SQLite -> tree
# The last tree must be byte-identical to the first, and pass Metabase's
# validator. Needs METAPORT_PG_URL and METAPORT_VALIDATOR (tests/run).
set -euo pipefail
bin="$TEST_SRCDIR/metaport/entities/bi/metaport_bi"
pg="${METAPORT_PG_URL:?METAPORT_PG_URL is not set: this test needs the PostgreSQL server tests/run starts}"
validator="${METAPORT_VALIDATOR:?METAPORT_VALIDATOR is not set}"
work="$TEST_TMPDIR/rt" && rm -rf "$work" && mkdir -p "$work" && cd "$work"

pgdb="mp_rt_$$_${RANDOM}${RANDOM}"  # pids repeat across sandboxed tests
psql -q "$pg" -c "DROP DATABASE IF EXISTS $pgdb" -c "CREATE DATABASE $pgdb" >/dev/null
pgurl="$(printf '%s' "$pg" | sed -E "s#(postgres(ql)?://[^/]*/)[^?]*#\1$pgdb#")"
trap 'psql -q "$pg" -c "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" >/dev/null 2>&1' EXIT

"$bin" init sqlite://first.db 2>/dev/null
"$bin" seed sqlite://first.db --size 3000 2>/dev/null
# --keep-secrets: the round trip must not lose connection details or keys.
"$bin" dump sqlite://first.db tree1 --keep-secrets 2>/dev/null
"$bin" init "$pgurl" 2>/dev/null
"$bin" load "$pgurl" tree1 >load-pg.txt
"$bin" dump "$pgurl" middle.jsonl --keep-secrets 2>/dev/null
"$bin" init sqlite://last.db 2>/dev/null
"$bin" load sqlite://last.db middle.jsonl >load-last.txt
"$bin" dump sqlite://last.db tree2 --keep-secrets 2>/dev/null

files=$(find tree1 -type f | wc -l)
[[ "$files" -gt 2500 ]] || { echo "FAIL: only $files files in the first tree"; exit 1; }
diff -r tree1 tree2 >tree.diff || { echo "FAIL: the trees differ:"; head -40 tree.diff; exit 1; }
echo "ok: $files files byte-identical after SQLite -> tree -> PostgreSQL -> jsonl -> SQLite -> tree"
grep -q 'sk_live\|password' tree1/databases/*/*.yaml || { echo "FAIL: the secrets were not kept"; exit 1; }
# A redacted dump of the same store: no secret in clear, and still valid.
"$bin" dump sqlite://last.db redacted 2>/dev/null
if grep -rq '"password": \|password: [^*]' redacted/databases 2>/dev/null; then echo "FAIL: a password in clear"; exit 1; fi
"$validator" validate-schema --folder tree2 >validator.txt 2>&1 || { echo "FAIL: validator"; tail -20 validator.txt; exit 1; }
tail -1 validator.txt
echo "roundtrip: OK"
