#!/usr/bin/env bash
# Metabase's own serialization export (the serdes layout), through real
# processes, SQLite stores, a real git repository and Metabase's validator:
#   - the fixture export (every kind, legacy MBQL of each clause family, the
#     data model, nested collections, a dashboard with tabs and null
#     inline_parameters, non-ASCII names) is recognised, validates and loads
#     strictly;
#   - dumped with --layout serdes it is byte for byte the export; dumped by
#     default it passes the validator, and that tree loaded and dumped with
#     --layout serdes is the export again;
#   - dumped into a git checkout of the export: .git and foreign files stay,
#     an unchanged file keeps its bytes even when spelled otherwise, a changed
#     entity changes only its file;
#   - Metabase's published v1.0.0 examples gain no key and re-spell no value;
#   - bad input: file:line:column and field path, nothing written.
# Needs METAPORT_VALIDATOR and METAPORT_REPRESENTATIONS_DIR (tests/run).
set -uo pipefail
bin="$TEST_SRCDIR/metaport/entities/bi/metaport_bi"
here="$TEST_SRCDIR/metaport/tests/serdes"
export_dir="$here/fixtures/export"
validator="${METAPORT_VALIDATOR:?METAPORT_VALIDATOR is not set (tests/run sets it)}"
reps="${METAPORT_REPRESENTATIONS_DIR:?METAPORT_REPRESENTATIONS_DIR is not set (tests/run sets it)}"
work="$TEST_TMPDIR/serdes" && rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1

failures=0
ok() { echo "ok: $1"; }
fail() { echo "FAIL: $1"; failures=$((failures + 1)); }
# expect_text WHAT FILE TEXT: FILE contains TEXT literally.
expect_text() { grep -qF -- "$3" "$2" && ok "$1" || { fail "$1: no '$3' in:"; sed 's/^/    /' "$2" | head -20; }; }
store() { rm -f "$1.db"; "$bin" init "sqlite://$1.db" >/dev/null 2>&1; }

# ---- the export: recognised, valid, loaded strictly ------------------------------------
files=$(find "$export_dir" -name '*.yaml' | wc -l)
"$bin" validate "$export_dir" >validate.txt 2>&1 && ok "validate: the export is valid" || { fail "validate"; cat validate.txt; }
expect_text "validate reads every file" validate.txt "$files records, no problems"

store a
if "$bin" load sqlite://a.db "$export_dir" >load.txt 2>&1; then ok "load: strict, exit 0"; else fail "load"; cat load.txt; fi
for line in "Card                           8" "Collection                     4" "Field                         12" \
            "Transform                      2" "Segment                        1" "FieldValues                    1"; do
  expect_text "load report: $line" load.txt "$line"
done

# ---- round trips ----------------------------------------------------------------------------
"$bin" dump sqlite://a.db serdes --layout serdes >dump.txt 2>&1 || { fail "dump --layout serdes"; cat dump.txt; }
expect_text "dump names the layout" dump.txt "(tree, layout serdes)"
if diff -r "$export_dir" serdes >serdes.diff; then ok "serdes dump: every file byte for byte the export ($files files)"
else fail "serdes dump differs from the export:"; head -40 serdes.diff; fi
[[ ! -e serdes/metaport.yaml ]] && ok "no metaport.yaml in a serdes tree" || fail "a serdes dump wrote metaport.yaml"

"$bin" dump sqlite://a.db v1 >/dev/null 2>&1 || fail "default dump"
if "$validator" validate-schema --folder v1 >validator.txt 2>&1; then ok "the default (v1.0.0) tree passes Metabase's validator: $(tail -1 validator.txt)"
else fail "validator on the v1.0.0 tree:"; tail -20 validator.txt; fi
grep -rq "source-table:" v1/collections/main/analytics/sales/orders_by_month.yaml &&
  grep -q "lib/type: mbql/query" v1/collections/main/analytics/sales/orders_by_month.yaml &&
  ok "legacy MBQL is pMBQL stages in the v1.0.0 tree" || fail "no pMBQL in the v1.0.0 tree"
store b
"$bin" load sqlite://b.db v1 >/dev/null 2>&1 || fail "loading the v1.0.0 tree"
"$bin" dump sqlite://b.db serdes2 --layout serdes >/dev/null 2>&1
if diff -r "$export_dir" serdes2 >serdes2.diff; then ok "serdes -> store -> v1.0.0 tree -> store -> serdes: the export byte for byte"
else fail "serdes -> v1 -> serdes differs:"; head -40 serdes2.diff; fi
"$bin" diff sqlite://a.db sqlite://b.db >diff.txt 2>&1 && ok "the two stores hold the same entities" || { fail "stores differ"; head -20 diff.txt; }

# ---- a git checkout of the export -------------------------------------------------------------
mkdir repo && cp -r "$export_dir"/. repo/ && mkdir -p repo/.github && echo "on: push" >repo/.github/ci.yaml
echo "# Our Metabase content" >repo/README.md
card="collections/Kq3vT9sQeW1xZb7nYp2mD_analytics/Lw4uR8tPfX2yAc6oZq3nE_sales/cards/Na6tS2wO8cA4lM0xUz5qG_orders_by_month.yaml"
dash="collections/Kq3vT9sQeW1xZb7nYp2mD_analytics/Lw4uR8tPfX2yAc6oZq3nE_sales/dashboards/Vk4bA0eW6kI2tU8fCh3yO_sales_overview.yaml"
# The same content spelled otherwise (double quotes, a plain timestamp is
# not the same content: quote styles only).
sed -i "s/^created_at: '2024-01-15T10:00:00.000001Z'/created_at: \"2024-01-15T10:00:00.000001Z\"/" "repo/$dash"
(cd repo && git init -q && git -c user.name=t -c user.email=t@example.com add -A &&
  git -c user.name=t -c user.email=t@example.com commit -qm export) || fail "git init"
"$bin" dump sqlite://a.db repo --layout serdes >/dev/null 2>&1 || fail "dump into the checkout"
status="$(cd repo && git status --porcelain)"
[[ -z "$status" ]] && ok "dumped into the checkout: git status is clean (.git, README, CI file kept; the re-quoted file kept as it was)" ||
  { fail "git status after dumping into the checkout:"; echo "$status" | head; }
# One real change: a card's description, through the v1.0.0 tree.
sed -i 's/^description: Completed orders per month, last 12 months$/description: Completed orders per month/' \
  v1/collections/main/analytics/sales/orders_by_month.yaml
"$bin" load sqlite://a.db v1 --mode update >/dev/null 2>&1 || fail "load --mode update"
"$bin" dump sqlite://a.db repo --layout serdes >/dev/null 2>&1
status="$(cd repo && git status --porcelain)"
[[ "$status" == " M $card" ]] && ok "one changed card: one changed file" || { fail "git status after one change:"; echo "$status"; }
numstat="$(cd repo && git diff --numstat)"
[[ "$numstat" == "1	1	$card" ]] && ok "and one changed line in it" || { fail "git diff --numstat: $numstat"; (cd repo && git diff | head -20); }
(cd repo && git diff) | grep -q "^+description: Completed orders per month$" && ok "the line is the new description" || fail "the diff is not the description"

# ---- Metabase's published v1.0.0 examples: no phantom lines ----------------------------------
node "$here/documents.cjs" examples "$reps/core-spec/v1/spec.md" examples >examples.txt || fail "extracting the spec's examples"
# What they refer to (collections, a card), as placeholders.
mkdir -p refs/collections/main
for id in M-Q4pcV0qkiyJ0kiSWECl Y6d4QwJgGKw-X1tRh3ir2; do
  printf 'name: Placeholder %s\nentity_id: %s\nserdes/meta:\n- id: %s\n  model: Collection\n' "$id" "$id" "$id" >"refs/collections/main/$id.yaml"
done
printf 'name: Placeholder card\nentity_id: h5F2EjHsRd73Dqqh8sAtd\ndisplay: table\ncreator_id: ref@example.com\ndataset_query: {}\nvisualization_settings: {}\nserdes/meta:\n- id: h5F2EjHsRd73Dqqh8sAtd\n  model: Card\n' \
  >refs/collections/main/card.yaml
store ex
"$bin" load sqlite://ex.db refs --stub-missing >/dev/null 2>&1 || fail "loading the placeholders"
"$bin" load sqlite://ex.db examples --stub-missing --on-error continue >examples-load.txt 2>&1
# The spec's Dashboard example breaks dashboard.yaml (docs/bi-schema.md): refused, as the validator refuses it.
expect_text "the spec's Dashboard example is refused for its 20-character tab ids" examples-load.txt "tabs[0].entity_id: bad entity_id 'tAb1dEntIdHere1234x5'"
"$bin" dump sqlite://ex.db examples-out >/dev/null 2>&1
node "$here/documents.cjs" phantom examples examples-out >phantom.txt
n_ok=$(grep -c '^ok ' phantom.txt)
grep '^FAIL' phantom.txt | grep -v "example_04.yaml: not in the dump" >phantom-fail.txt
[[ "$n_ok" -eq 8 && ! -s phantom-fail.txt ]] && ok "8 examples loaded and dumped again: no key added, no value re-spelled" ||
  { fail "phantom lines in the spec's examples:"; cat phantom.txt; }

# ---- bad input -----------------------------------------------------------------------------------
bad() {  # bad NAME: a copy of the export to break
  rm -rf "$1" && cp -r "$export_dir" "$1"
}
bad relative
f="relative/collections/cards/Cr1iH7lD3rP9aB5mJo0fV_orders_count.yaml"
sed -i 's/^    source-table:$/    filter:\n    - =\n    - - field\n      - - Sample Database\n        - PUBLIC\n        - ORDERS\n        - CREATED_AT\n      - null\n    - - relative-datetime\n      - -30\n      - day\n    source-table:/' "$f"
store c
"$bin" load sqlite://c.db relative >relative.txt 2>&1; rc=$?
[[ $rc -eq 1 ]] && ok "an unconvertible clause: exit 1" || fail "an unconvertible clause: exit $rc"
expect_text "it names file, line, column, path and clause" relative.txt \
  "$f:36:7: dataset_query.query.filter[2]: cannot convert clause 'relative-datetime' (an internal date clause that the Representation Format has no form for)"
expect_text "nothing was written" relative.txt "nothing was written"
"$bin" dump sqlite://c.db c-after.jsonl >/dev/null 2>&1
[[ "$(wc -l <c-after.jsonl)" -eq 2 ]] && ok "the store is still empty" || fail "the failed load wrote something"

bad unknown
f="unknown/collections/cards/Cr1iH7lD3rP9aB5mJo0fV_orders_count.yaml"
sed -i 's/^display: scalar$/display: scalar\ndispaly: scalar/' "$f"
t="unknown/databases/Sample Database/schemas/PUBLIC/tables/ORDERS/ORDERS.yaml"
echo "colour: red" >>"$t"
d="unknown/collections/Kq3vT9sQeW1xZb7nYp2mD_analytics/Lw4uR8tPfX2yAc6oZq3nE_sales/dashboards/Vk4bA0eW6kI2tU8fCh3yO_sales_overview.yaml"
sed -i '0,/^  size_x: 12$/s//  size_x: 30/' "$d"
"$bin" validate unknown >unknown.txt 2>&1; rc=$?
[[ $rc -eq 1 ]] && ok "unknown members: validate exits 1" || fail "unknown members: exit $rc"
expect_text "a closed kind's unknown member, with did-you-mean" unknown.txt "$f:7:10: dispaly: unknown field 'dispaly' (did you mean 'display'?)"
expect_text "an open kind's unknown member" unknown.txt "$t:24:9: colour: unknown field 'colour': Metabase's Table files have no such member (--keep-unknown carries it through unchanged)"
expect_text "a nested check at depth (dashcards[0])" unknown.txt "$d:40:11: dashcards[0].size_x: size_x is 1 to 24, not 30"
sed -i '0,/^  size_x: 30$/s//  size_x: 12/' "$d"
"$bin" validate unknown --keep-unknown >keep.txt 2>&1 && ok "--keep-unknown carries unknown members" || { fail "--keep-unknown"; cat keep.txt; }

bad legacy
mkdir -p "legacy/databases/Sample Database/schemas/PUBLIC/tables/ORDERS/metrics"
cat >"legacy/databases/Sample Database/schemas/PUBLIC/tables/ORDERS/metrics/Ze3fN9kR5gW1xC7lYp0sB_revenue.yaml" <<'EOF'
name: Revenue
entity_id: Ze3fN9kR5gW1xC7lYp0sB
definition:
  aggregation:
  - - sum
    - - field
      - 12
      - null
serdes/meta:
- id: Ze3fN9kR5gW1xC7lYp0sB
  label: revenue
  model: LegacyMetric
EOF
"$bin" validate legacy >legacy.txt 2>&1
expect_text "a legacy metric is refused with what to do" legacy.txt "has no place in the Representation Format: export again from Metabase 0.50 or newer"

bad localid
f="localid/collections/cards/Cr1iH7lD3rP9aB5mJo0fV_orders_count.yaml"
sed -i 's/^    - - count$/    - - sum\n      - - field\n        - 12\n        - null/' "$f"
"$bin" validate localid >localid.txt 2>&1
expect_text "a field by local id" localid.txt "$f:29:11: dataset_query.query.aggregation[0][1][1]: a field by local id (12) cannot be converted"

"$bin" dump sqlite://a.db out.jsonl --layout serdes >layout.txt 2>&1; rc=$?
[[ $rc -eq 2 ]] && expect_text "--layout on a stream is a usage error" layout.txt "--layout serdes is for tree dumps (a folder), not jsonl" ||
  fail "--layout on a stream: exit $rc"
"$bin" dump sqlite://a.db nope --layout nope >nope.txt 2>&1; rc=$?
[[ $rc -eq 2 ]] && expect_text "an unknown layout names the layouts" nope.txt "--layout nope: schema bi has the tree layouts representation, serdes" ||
  fail "--layout nope: exit $rc"
mkdir -p stranger && echo "hello" >stranger/notes.txt
"$bin" dump sqlite://a.db stranger --layout serdes >stranger.txt 2>&1; rc=$?
[[ $rc -eq 2 && -f stranger/notes.txt ]] && ok "a folder that is no tree of the layout is not replaced" || fail "stranger folder: exit $rc"

echo "$failures failures"
((failures == 0))
