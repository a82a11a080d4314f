#!/usr/bin/env bash
# Old dumps under the current bi binary, as real processes (docs/changing-your-schema.md):
# every golden dump of versions 1 and 2 (tree and JSON lines) loads into a
# fresh store with no failure; `upgrade` rewrites it so that loading the
# result gives exactly the same store; upgraded trees pass Metabase's
# validator; the two versions' goldens hold the same content; newer dumps
# are refused naming both versions; a clause the converter cannot convert
# fails the load and the upgrade with file:line:col and path.
# Needs METAPORT_VALIDATOR and the servers of tests/run (every engine of
# tests/support/engines.inc).
set -uo pipefail

bin="$TEST_SRCDIR/metaport/entities/bi/metaport_bi"
root="$TEST_SRCDIR/metaport/tests/evolution"
v1bin="$root/metaport_bi_v1"
v2bin="$root/metaport_bi_v2"
golden="$root/golden"
validator="${METAPORT_VALIDATOR:?METAPORT_VALIDATOR is not set (tests/run sets it)}"
work="$TEST_TMPDIR/upgrade"
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
# shellcheck source=tests/support/stores.sh
source "$TEST_SRCDIR/metaport/tests/support/stores.sh"

failures=0
ok() { echo "ok: $1"; }
fail() { echo "FAIL: $1"; failures=$((failures + 1)); }
check() {  # check NAME EXPECTED_RC ACTUAL_RC
  if [[ "$2" == "$3" ]]; then ok "$1"; else fail "$1: exit $3, expected $2"; sed 's/^/    /' out.txt err.txt | head -30; fi
}
expect_text() {  # expect_text NAME FILE PATTERN
  if grep -qE -- "$3" "$2"; then ok "$1"; else fail "$1: no /$3/ in $2:"; sed 's/^/    /' "$2" | head -30; fi
}
run() { "$@" >out.txt 2>err.txt; echo $?; }
fresh() {  # fresh NAME: a new empty SQLite store of the current version
  rm -f "$1.db"
  "$bin" init "sqlite://$1.db" >/dev/null 2>&1
  echo "sqlite://$1.db"
}

# ---- every golden, tree and JSON lines ------------------------------------------------------
for v in 1 2; do
  for form in tree bi.jsonl; do
    g="$golden/v$v/$form"
    n="v$v-${form%%.*}"

    check "$n: validate" 0 "$(run "$bin" validate "$g")"
    expect_text "$n: validate finds no problem" out.txt "42 records, no problems"

    direct="$(fresh "$n-direct")"
    check "$n: loads into a fresh store" 0 "$(run "$bin" load "$direct" "$g")"
    expect_text "$n: with zero failures" out.txt "^total +[0-9]+ +0 +0 +0$"
    expect_text "$n: upgraded while loading" out.txt "upgraded from bi version $v to 4 while loading"
    "$bin" dump "$direct" "$n-direct.jsonl" 2>/dev/null

    for out in "$n-up" "$n-up.jsonl"; do
      check "$n: upgrade -> $out" 0 "$(run "$bin" upgrade "$g" "$out")"
      expect_text "$n: upgrade says what it did" err.txt "42 entities, bi version $v -> 4, written to $out"
      viaup="$(fresh "$out-load")"
      check "$n: the upgraded $out loads" 0 "$(run "$bin" load "$viaup" "$out")"
      expect_text "$n: the upgraded $out loads with zero failures" out.txt "^total +[0-9]+ +0 +0 +0$"
      "$bin" dump "$viaup" "$out-load.jsonl" 2>/dev/null
      if cmp -s "$n-direct.jsonl" "$out-load.jsonl"; then
        ok "$n: loading the upgraded $out gives the same store as loading the golden"
      else
        fail "$n: loading the upgraded $out gives another store than loading the golden:"
        diff "$n-direct.jsonl" "$out-load.jsonl" | head -20 | sed 's/^/    /'
      fi
    done
    grep -qx "version: 4" "$n-up/metaport.yaml" && ok "$n: the upgraded tree says version 4" || fail "$n: the upgraded tree does not say version 4"

    if "$validator" validate-schema --folder "$n-up" >validator.txt 2>&1; then
      ok "$n: the upgraded tree passes the Representation Format validator"
    else
      fail "$n: the validator rejects the upgraded tree:"; sed 's/^/    /' validator.txt | tail -30
    fi

    # Deterministic: the same golden upgrades to the same bytes (the
    # aggregation UUIDs are named, not random).
    "$bin" upgrade "$g" "$n-up-again" 2>/dev/null
    diff -r "$n-up" "$n-up-again" >/dev/null && ok "$n: upgrading twice gives identical trees" || fail "$n: two upgrades differ"
  done
done

# ---- the two versions hold the same content ------------------------------------------------------
check "diff v1 tree v2 tree" 0 "$(run "$bin" diff "$golden/v1/tree" "$golden/v2/tree")"
expect_text "no differences between the versions' goldens" out.txt "^0 changed, 0 added, 0 removed, 42 unchanged$"
check "diff v1 jsonl v2 tree" 0 "$(run "$bin" diff "$golden/v1/bi.jsonl" "$golden/v2/tree")"
expect_text "no differences between v1 jsonl and v2 tree" out.txt "^0 changed, 0 added, 0 removed, 42 unchanged$"
diff -r v1-tree-up v2-tree-up >diff.txt && ok "v1 and v2 goldens upgrade to byte-identical trees" ||
  { fail "v1 and v2 goldens upgrade to different trees:"; head -30 diff.txt | sed 's/^/    /'; }
cmp -s v1-tree-direct.jsonl v2-bi-direct.jsonl && ok "v1 tree and v2 jsonl load to the same store" || fail "v1 tree and v2 jsonl load to different stores"

# The version 2 binary loads the version 1 golden (its 1 -> 2 steps) and
# dumps exactly the version 2 golden.
s2="sqlite://$work/v2bin.db"
"$v2bin" init "$s2" >/dev/null 2>&1
check "v2 binary loads the v1 golden" 0 "$(run "$v2bin" load "$s2" "$golden/v1/tree")"
expect_text "v2 binary upgrades 1 -> 2" out.txt "upgraded from bi version 1 to 2 while loading"
"$v2bin" dump "$s2" v2bin-tree 2>/dev/null
diff -r v2bin-tree "$golden/v2/tree" >/dev/null && ok "... and dumps the v2 golden byte for byte" || fail "the v2 binary's upgrade of the v1 golden differs from the v2 golden"

# ---- the server engines load the old dumps the same way ------------------------------------------------
for engine in "${METAPORT_ENGINES[@]}"; do
  [[ "$engine" == sqlite ]] && continue
  url="$(fresh_store "$engine" evolution)" || { fail "no $engine store"; continue; }
  "$bin" init "$url" >/dev/null 2>&1
  check "v1 golden loads into $engine" 0 "$(run "$bin" load "$url" "$golden/v1/tree")"
  "$bin" dump "$url" "$engine.jsonl" 2>/dev/null
  cmp -s "$engine.jsonl" v1-tree-direct.jsonl && ok "$engine and SQLite hold the same after loading the v1 golden" || fail "$engine and SQLite differ"
done

# ---- newer dumps are refused, naming both versions ---------------------------------------------------
s1="sqlite://$work/v1bin.db"
"$v1bin" init "$s1" >/dev/null 2>&1
check "v1 binary refuses a v2 dump" 1 "$(run "$v1bin" load "$s1" "$golden/v2/bi.jsonl")"
expect_text "naming versions 2 and 1" err.txt "this dump is bi version 2, newer than this metaport's bi version 1: refusing to load it"
check "v2 binary refuses a v4 dump" 1 "$(run "$v2bin" load "$s2" v1-tree-up)"
expect_text "naming versions 4 and 2" err.txt "this dump is bi version 4, newer than this metaport's bi version 2: refusing to load it"
{ echo '{"metaport":"dump","format":1,"schema":"bi","version":5}'; echo '{"metaport":"end","counts":{},"total":0}'; } >v5.jsonl
check "the current binary refuses a v5 dump" 1 "$(run "$bin" load "$(fresh v5)" v5.jsonl)"
expect_text "naming versions 5 and 4" err.txt "this dump is bi version 5, newer than this metaport's bi version 4"
check "... and upgrade refuses it too" 1 "$(run "$bin" upgrade v5.jsonl v5-up.jsonl)"
expect_text "upgrade names versions 5 and 4" err.txt "this dump is bi version 5, newer than this metaport's bi version 4"

# ---- a clause the converter cannot convert: an error with file:line:col and path, nothing written ----
cp -rL "$golden/v2/tree" broken
card=broken/collections/main/analytics/sales/broken_filter.yaml
cat >"$card" <<'EOF'
name: Broken filter
entity_id: BRoKeNFiLTeRCaRD00001
display: table
type: question
creator_id: ana@example.com
collection_id: SaLeSCoLLeCTioN000001
dataset_query:
  type: query
  database: Sample Database
  query:
    source-table: [Sample Database, PUBLIC, ORDERS]
    filter:
    - and
    - ['>', [field, [Sample Database, PUBLIC, ORDERS, TOTAL], null], 10]
    - ['>', [field, [Sample Database, PUBLIC, ORDERS, CREATED_AT], null], [relative-datetime, -30, day]]
visualization_settings: {}
serdes/meta:
- id: BRoKeNFiLTeRCaRD00001
  label: broken_filter
  model: Card
EOF
broken_store="$(fresh broken)"
check "a dump with an unconvertible clause fails to load" 1 "$(run "$bin" load "$broken_store" broken)"
expect_text "the failure names file:line:col, path and clause" out.txt \
  "broken_filter.yaml:15:[0-9]+: .*dataset_query.query.filter\[2\]\[2\]: cannot convert clause 'relative-datetime'"
"$bin" dump "$broken_store" broken.jsonl 2>/dev/null
[[ "$(grep -c '"kind"' broken.jsonl)" == 0 ]] && ok "nothing was loaded" || fail "the failed load wrote entities"
check "upgrade of that dump fails" 1 "$(run "$bin" upgrade broken broken-up)"
expect_text "upgrade names the clause and path" err.txt "broken_filter.yaml:15:[0-9]+: (Card: )?dataset_query.query.filter\[2\]\[2\]: .*cannot convert clause 'relative-datetime'"
[[ ! -e broken-up ]] && ok "no upgraded tree was left behind" || fail "a failed upgrade left broken-up"

# ---- the version 1 model finds references inside legacy queries ---------------------------------------
cp -rL "$golden/v1/tree" missing
cat >missing/collections/main/analytics/sales/missing_field.yaml <<'EOF'
name: Missing field
entity_id: MiSSiNGFieLDCaRD00001
display: table
dataset: false
creator_id: ana@example.com
collection_id: SaLeSCoLLeCTioN000001
dataset_query:
  type: query
  database: Sample Database
  query:
    source-table: [Sample Database, PUBLIC, ORDERS]
    breakout:
    - [field, [Sample Database, PUBLIC, ORDERS, SHIPPED_AT], {temporal-unit: month}]
visualization_settings: {}
serdes/meta:
- id: MiSSiNGFieLDCaRD00001
  label: missing_field
  model: Card
EOF
check "v1 binary: a legacy query naming a missing field fails validation" 1 "$(run "$v1bin" validate missing)"
expect_text "the reference is found in the legacy query" out.txt \
  "missing_field.yaml:13:[0-9]+: dataset_query.query.breakout\[0\]\[1\]: references Field .*SHIPPED_AT"

echo "$failures failures"
((failures == 0))
