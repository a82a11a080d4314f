#!/usr/bin/env bash
# Metabase's own serialization export (the serdes layout), through real
# processes, SQLite stores, a real git repository and Metabase's validator:
#   - the fixture export (every kind, legacy MBQL of each clause family, the
#     data model, nested collections, a dashboard with tabs and null
#     inline_parameters, non-ASCII names; a document, a metabot, a channel, a
#     glossary term, a field's user settings) is recognised, validates and
#     loads strictly;
#   - dumped with --layout serdes it is byte for byte the export; dumped by
#     default it passes the validator, and that tree loaded and dumped with
#     --layout serdes is the export again;
#   - dumped into a git checkout of the export: .git and foreign files stay,
#     an unchanged file keeps its bytes even when spelled otherwise, a changed
#     entity changes only its file;
#   - an export in a subfolder of a repository loads, validates and is
#     dumped back into that subfolder, the rest of the repository untouched;
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
            "Transform                      2" "Segment                        1" "FieldValues                    1" \
            "Document                       1" "Metabot                        1" "Channel                        1" \
            "Glossary                       1" "FieldUserSettings              1"; do
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

# ---- an export in a subfolder of a repository ----------------------------------------------------
# A Remote Sync or CI repository often keeps the export beside other things:
# the export's folder is what load, validate and dump are given.
mkdir -p mono/metabase mono/dbt/models && cp -r "$export_dir"/. mono/metabase/
echo "select 1" >mono/dbt/models/orders.sql && echo "# BI and dbt" >mono/README.md
printf 'name: not metabase\n' >mono/dbt/dbt_project.yaml
(cd mono && git init -q && git -c user.name=t -c user.email=t@example.com add -A &&
  git -c user.name=t -c user.email=t@example.com commit -qm init) || fail "git init (mono)"
"$bin" validate mono/metabase >mono-validate.txt 2>&1 || fail "validate mono/metabase: exit $?"
expect_text "validate: the subfolder is recognised as a serdes export" mono-validate.txt "$files records, no problems"
store m
if "$bin" load sqlite://m.db mono/metabase >mono-load.txt 2>&1; then ok "load: an export in a subfolder, strict, exit 0"; else fail "load mono/metabase"; cat mono-load.txt; fi
"$bin" diff sqlite://b.db sqlite://m.db >mono-diff.txt 2>&1 && ok "it holds what the export at the top held (b.db, loaded before the change above)" || { fail "mono store differs"; head -20 mono-diff.txt; }
"$bin" dump sqlite://m.db mono/metabase --layout serdes >/dev/null 2>&1 || fail "dump into the subfolder"
status="$(cd mono && git status --porcelain)"
[[ -z "$status" ]] && ok "dumped back into the subfolder: git status is clean (dbt/, README and .git untouched)" ||
  { fail "git status after dumping into mono/metabase:"; echo "$status" | head; }

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
# Into an empty store a load streams; a file with a layout problem stops the
# stream and the planned load takes over: --on-error continue loads the rest.
store c
"$bin" load sqlite://c.db relative --on-error continue >relative-continue.txt 2>&1; rc=$?
[[ $rc -eq 1 ]] && ok "--on-error continue: exit 1" || fail "--on-error continue: exit $rc"
expect_text "the card fails with its clause" relative-continue.txt "$f:36:7: dataset_query.query.filter[2]: cannot convert clause 'relative-datetime'"
"$bin" dump sqlite://c.db c-continue.jsonl >/dev/null 2>&1
[[ "$(grep -c '"kind"' c-continue.jsonl)" -eq $((files - 1)) ]] && ! grep -q Cr1iH7lD3rP9aB5mJo0fV c-continue.jsonl &&
  ok "every other entity was loaded, the card was not" || fail "--on-error continue loaded $(grep -c '"kind"' c-continue.jsonl) entities"

bad dependents
f="dependents/collections/Kq3vT9sQeW1xZb7nYp2mD_analytics/Lw4uR8tPfX2yAc6oZq3nE_sales/cards/Na6tS2wO8cA4lM0xUz5qG_orders_by_month.yaml"
sed -i 's/^    - - time-interval$/    - - time-intervals/' "$f"
store dep
"$bin" load sqlite://dep.db dependents --on-error continue >dependents.txt 2>&1
expect_text "an unknown clause fails its card" dependents.txt "$f:46:7: dataset_query.query.filter[2]: cannot convert clause 'time-intervals' (not a clause this converter knows)"
for what in "dashboards/Vk4bA0eW6kI2tU8fCh3yO_sales_overview.yaml" "documents/Dn4cR8xE2vL6pQ0tYw3hJ_quarterly_review.yaml"; do
  expect_text "what refers to it fails and names it ($what)" dependents.txt \
    "$what:1:1: depends on Card Na6tS2wO8cA4lM0xUz5qG ($f:1), which cannot be loaded"
done
"$bin" dump sqlite://dep.db dep.jsonl >/dev/null 2>&1
[[ "$(grep -c '"kind"' dep.jsonl)" -eq $((files - 3)) ]] && ok "the rest was loaded" || fail "dependents: $(grep -c '"kind"' dep.jsonl) entities loaded"

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

bad newkinds  # the kinds outside collections' cards and dashboards, at depth
m="newkinds/collections/Kq3vT9sQeW1xZb7nYp2mD_analytics/metabots/Mb7kT2qW9eR4yU1iOp5aS.yaml"
sed -i 's/^  model: metric$/  model: dashboard/' "$m"
u="newkinds/databases/Sample Database/schemas/PUBLIC/tables/ORDERS/fields/TOTAL___fieldusersettings.yaml"
sed -i 's/^nfc_path: null$/nfc_path: null\nnfc_paths: null/' "$u"
d="newkinds/collections/Kq3vT9sQeW1xZb7nYp2mD_analytics/Lw4uR8tPfX2yAc6oZq3nE_sales/documents/Dn4cR8xE2vL6pQ0tYw3hJ_quarterly_review.yaml"
sed -i 's/^      level: 2$/      level: 9/' "$d"
c="newkinds/collections/channels/Ops webhook_ops_webhook.yaml"
sed -i 's|^  url: https://hooks.example.com/metabase/alerts$|  url: hooks.example.com/metabase/alerts|' "$c"
"$bin" validate newkinds >newkinds.txt 2>&1; rc=$?
[[ $rc -eq 1 ]] && ok "new kinds: validate exits 1" || fail "new kinds: exit $rc"
expect_text "a metabot prompt's model (prompts[1])" newkinds.txt "$m:25:10: prompts[1].model: 'dashboard' is not one of: model, question, metric"
expect_text "a field's user settings: an unknown member" newkinds.txt \
  "$u:12:12: nfc_paths: unknown field 'nfc_paths': Metabase's FieldUserSettings files have no such member"
expect_text "a document node at depth" newkinds.txt "$d:11:14: document.content[0].attrs.level: a heading needs attrs.level, an integer 1 to 6"
expect_text "a channel's details" newkinds.txt "$c:7:8: details.url: 'hooks.example.com/metabase/alerts' is not an http(s) URL"
expect_text "every problem is counted" newkinds.txt "4 problems in 4 entities"

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
