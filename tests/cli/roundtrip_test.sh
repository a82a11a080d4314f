#!/usr/bin/env bash
# Seeded bi content round the engines, through real processes:
#   SQLite -> tree -> MariaDB -> jsonl -> PostgreSQL -> tree -> SQLite
# (every server engine of tests/support/engines.inc, tree and jsonl hops in
# turn). Every tree on the way is byte-identical to the first, every jsonl
# dump to the first store's, and the last tree passes Metabase's validator.
# Needs the servers of tests/run and METAPORT_VALIDATOR.
set -uo pipefail
bin="$TEST_SRCDIR/metaport/entities/bi/metaport_bi"
validator="${METAPORT_VALIDATOR:?METAPORT_VALIDATOR is not set}"
work="$TEST_TMPDIR/rt" && rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
# shellcheck source=tests/support/stores.sh
source "$TEST_SRCDIR/metaport/tests/support/stores.sh"
failures=0
ok() { echo "ok: $1"; }
fail() { echo "FAIL: $1"; failures=$((failures + 1)); }
same_tree() { diff -r "$1" "$2" >tree.diff && ok "$3" || { fail "$3:"; head -20 tree.diff; }; }
same_file() { cmp -s "$1" "$2" && ok "$3" || { fail "$3"; diff "$1" "$2" | head -10; }; }

"$bin" init sqlite://first.db 2>/dev/null
"$bin" seed sqlite://first.db --size 3000 2>/dev/null
# --keep-secrets: the round trip must not lose connection details or keys.
"$bin" dump sqlite://first.db tree0 --keep-secrets 2>/dev/null
"$bin" dump sqlite://first.db first.jsonl --keep-secrets 2>/dev/null
files=$(find tree0 -type f | wc -l)
[[ "$files" -gt 2500 ]] || fail "only $files files in the first tree"

# The server engines in the order SQLite -> MariaDB -> PostgreSQL, then back.
hops=()
for ((i = ${#METAPORT_ENGINES[@]} - 1; i >= 0; i--)); do
  [[ "${METAPORT_ENGINES[i]}" != sqlite ]] && hops+=("${METAPORT_ENGINES[i]}")
done
hops+=(sqlite)
src=tree0 n=0 path=sqlite
for engine in "${hops[@]}"; do
  n=$((n + 1))
  url="$(fresh_store "$engine" "rt$n")" || { fail "no $engine store"; continue; }
  "$bin" init "$url" 2>/dev/null
  "$bin" load "$url" "$src" >"load$n.txt" || { fail "load $src into $engine"; cat "load$n.txt"; }
  "$bin" dump "$url" "tree$n" --keep-secrets 2>/dev/null
  "$bin" dump "$url" "dump$n.jsonl" --keep-secrets 2>/dev/null
  path+=" -> $([[ "$src" == *.jsonl ]] && echo jsonl || echo tree) -> $engine"
  same_tree tree0 "tree$n" "tree from $engine byte-identical ($path)"
  same_file first.jsonl "dump$n.jsonl" "jsonl from $engine byte-identical ($path)"
  # Alternate the formats between hops.
  if [[ "$src" == *.jsonl ]]; then src="tree$n"; else src="dump$n.jsonl"; fi
done

grep -q 'sk_live\|password' tree0/databases/*/*.yaml || fail "the secrets were not kept"
# A redacted dump of the last store: no secret in clear, and still valid.
"$bin" dump "$url" redacted 2>/dev/null
if grep -rq '"password": \|password: [^*]' redacted/databases 2>/dev/null; then fail "a password in clear"; fi
"$validator" validate-schema --folder "tree$n" >validator.txt 2>&1 || { fail "validator"; tail -20 validator.txt; }
tail -1 validator.txt
echo "$failures failures"
((failures == 0))
