#!/usr/bin/env bash
# validate and diff as real processes (docs/changing-your-schema.md): every problem of a dump
# listed with file:line, entity and field path; duplicates; containment
# cycles; references checked inside the dump or against a store; entity-level
# diffs of dumps and stores, for a person and (--json) for a program.
set -uo pipefail
bin="$TEST_SRCDIR/metaport/entities/bi/metaport_bi"
export_dir="$TEST_SRCDIR/metaport/tests/cli/data/export"
work="$TEST_TMPDIR/vd" && rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
failures=0
check() { if [[ "$2" == "$3" ]]; then echo "ok: $1"; else echo "FAIL: $1: exit $3, expected $2"; sed 's/^/    /' out.txt | head -20; failures=$((failures + 1)); fi; }
expect_text() { if grep -qE -- "$3" "$2"; then echo "ok: $1"; else echo "FAIL: $1: no /$3/ in:"; sed 's/^/    /' "$2" | head -30; failures=$((failures + 1)); fi; }
run() { "$bin" "$@" >out.txt 2>&1; echo $?; }

# ---- validate ----------------------------------------------------------------
check "the export alone has dangling data-model references" 1 "$(run validate "$export_dir")"
expect_text "each with file:line:col and path" out.txt "orders_by_month.yaml:12:19: dataset_query.stages\[0\].source-table: references Table"
expect_text "a count at the end" out.txt "^[0-9]+ problems in 5 entities"
check "with --stub-missing the export is valid" 0 "$(run validate "$export_dir" --stub-missing)"
expect_text "and says so" out.txt "8 records, no problems"
# Against a store that has the data model, the references resolve there.
"$bin" init sqlite://s.db >/dev/null 2>&1
"$bin" load sqlite://s.db "$export_dir" --stub-missing >/dev/null
check "valid against a store that has the data model" 0 "$(run validate "$export_dir" --against sqlite://s.db)"

cp -r "$export_dir" dup && chmod -R u+w dup
cp dup/collections/main/orders_by_month.yaml dup/collections/main/sales/orders_copy.yaml
mkdir -p dup/collections/main/loop
printf 'name: A\nentity_id: LooPaCoLLeCTioN000001\nparent_id: LooPbCoLLeCTioN000001\nserdes/meta:\n- id: LooPaCoLLeCTioN000001\n  model: Collection\n' >dup/collections/main/loop/a.yaml
printf 'name: B\nentity_id: LooPbCoLLeCTioN000001\nparent_id: LooPaCoLLeCTioN000001\nserdes/meta:\n- id: LooPbCoLLeCTioN000001\n  model: Collection\n' >dup/collections/main/loop/b.yaml
printf 'name: Bad\nentity_id: short\nserdes/meta:\n- id: short\n  model: Collection\n' >dup/collections/main/loop/bad.yaml
check "problems found" 1 "$(run validate dup --stub-missing)"
expect_text "a duplicate names both files" out.txt "duplicate Card oRDeRSByMoNTHCaRD0001: the same entity is also at .*orders_by_month.yaml"
expect_text "a containment cycle names the chain" out.txt "containment cycle .*Collection LooPaCoLLeCTioN000001 -> Collection LooPbCoLLeCTioN000001 -> Collection LooPaCoLLeCTioN000001"
expect_text "a bad id names file, line, column and field" out.txt "bad.yaml:2:12: entity_id: bad entity_id 'short'"
check "--report json" 1 "$(run validate dup --stub-missing --report json)"
node -e 'const r = JSON.parse(require("fs").readFileSync("out.txt", "utf8")); if (!(r.failures.length >= 3)) process.exit(1)' \
  && echo "ok: the JSON report parses and lists the failures" || { echo "FAIL: JSON report"; failures=$((failures + 1)); }
printf 'metaport: dump\nformat: 1\nschema: bi\nversion: 5\n---\nmetaport: end\ncounts: {}\ntotal: 0\n' >v5.yaml
check "a newer version is refused" 1 "$(run validate v5.yaml)"
expect_text "naming both versions" out.txt "version 5, newer than this metaport's bi version 4"

# ---- diff ----------------------------------------------------------------------
"$bin" dump sqlite://s.db a >/dev/null 2>&1
cp -r a b
check "identical dumps" 0 "$(run diff a b)"
expect_text "nothing changed" out.txt "^0 changed, 0 added, 0 removed"
sed -i 's/^name: Orders by month$/name: Orders per month/; s/^      - 50$/      - 75/' b/collections/main/sales/orders_by_month.yaml
rm b/collections/snippets/active_orders.yaml
check "a changed card and a removed snippet" 1 "$(run diff a b)"
expect_text "the card is changed" out.txt '^~ Card oRDeRSByMoNTHCaRD0001 "Orders per month"'
expect_text "its name, old and new" out.txt '^    name: "Orders by month" -> "Orders per month"'
expect_text "its filter value, by path" out.txt '^    dataset_query.stages\[0\].filters\[0\]\[3\]: 50 -> 75'
expect_text "the snippet is removed (and the card that uses it breaks: validate would say)" out.txt '^- NativeQuerySnippet AcTiVeORDeRSSNiPPeT01'
check "--json" 1 "$(run diff a b --json)"
node -e '
const r = JSON.parse(require("fs").readFileSync("out.txt", "utf8"));
const c = r.changed.find(x => x.key === "oRDeRSByMoNTHCaRD0001");
const p = c.changes.map(x => x.path);
if (!p.includes("name") || r.removed.length !== 1) process.exit(1);' \
  && echo "ok: the JSON diff has the changed paths" || { echo "FAIL: JSON diff"; cat out.txt; failures=$((failures + 1)); }
check "a dump against the store it came from" 0 "$(run diff a sqlite://s.db)"
echo "$failures failures"
((failures == 0))
