#!/usr/bin/env bash
# A self-parented hierarchy in a tree dump (docs/tree-layout.md, "Your own
# schema"): terms nest in their parent term's folder four levels deep inside
# their glossary's; two sibling terms slug alike and are told apart by key;
# the tree loads back and dumps byte-identical; a loop of parents is an
# error naming it, not a hang.
set -euo pipefail
bin="$(dirname "$0")/metaport_glossary"
[[ -x "$bin" ]] || bin="$TEST_SRCDIR/downstream/glossary/metaport_glossary"
sample="$TEST_SRCDIR/downstream/glossary/sample.yaml"
work="$TEST_TMPDIR/w"
rm -rf "$work" && mkdir -p "$work" && cd "$work"

"$bin" init sqlite://a.db
"$bin" load sqlite://a.db "$sample" >/dev/null
"$bin" dump sqlite://a.db tree
(cd tree && find . -type f | LC_ALL=C sort) | tee files.txt
t=glossary/finance/term/revenue/term
diff files.txt - <<EOT
./glossary/finance.yaml
./glossary/finance/term/revenue.yaml
./$t/recurring_revenue.yaml
./$t/recurring_revenue/term/arr.yaml
./$t/recurring_revenue/term/arr/term/net_new_arr.yaml
./$t/recurring_revenue/term/mrr.yaml
./$t/recurring_revenue__$(sed -n 's/.*recurring_revenue__\([a-z0-9]*\)\.yaml/\1/p' files.txt).yaml
./glossary/sales.yaml
./glossary/sales/term/revenue.yaml
./metaport.yaml
EOT
# The plain name goes to the smaller key; the other gets a hash of its own.
grep -q 'entity_id: TermRecurring00000001' tree/$t/recurring_revenue.yaml
grep -q 'entity_id: TermRecurring00000002' tree/$t/recurring_revenue__*.yaml
grep -q 'parent_id: TermArr00000000000001' tree/$t/recurring_revenue/term/arr/term/net_new_arr.yaml

# The folders are placement only: the nested tree loads back, and dumps the same.
"$bin" init sqlite://b.db
"$bin" load sqlite://b.db tree >/dev/null
"$bin" dump sqlite://b.db tree_b
diff -r tree tree_b
"$bin" dump sqlite://a.db a.jsonl
"$bin" dump sqlite://b.db b.jsonl
cmp a.jsonl b.jsonl

# A loop of parents, written into the store behind metaport's back: the tree
# dump refuses it, naming the loop (exit 1), within seconds.
sqlite3 a.db "UPDATE mp_term SET parent_id = (SELECT mp_id FROM mp_term WHERE entity_id = 'TermNetNewArr00000001')
              WHERE entity_id = 'TermRecurring00000001'"
set +e
timeout 60 "$bin" dump sqlite://a.db loop > loop.txt 2>&1
rc=$?
set -e
cat loop.txt
test "$rc" -eq 1
grep -q 'its parents form a loop' loop.txt
grep -q 'Term TermRecurring00000001' loop.txt
test ! -e loop
# A steward (keyed by email) that does not decode (a member Steward lacks):
# a term naming its email is told that it is in the dump and failed to
# load, not that it is missing; a steward truly missing is still "neither".
cat > steward.yaml <<'EOT'
metaport: dump
format: 1
schema: glossary
version: 1
---
kind: Steward
entity:
  email: ann@example.com
  name: Ann
  nickname: A.
---
kind: Glossary
entity:
  entity_id: GlossaryOther00000001
  name: Other
---
kind: Term
entity:
  entity_id: TermAnns0000000000001
  term: Churn
  glossary_id: GlossaryOther00000001
  steward: ann@example.com
---
kind: Term
entity:
  entity_id: TermNobody00000000001
  term: Nobody's
  glossary_id: GlossaryOther00000001
  steward: nobody@example.com
EOT
"$bin" init sqlite://s.db
set +e
"$bin" load sqlite://s.db steward.yaml > steward.txt 2>&1
rc=$?
set -e
cat steward.txt
test "$rc" -eq 1
grep -q 'steward: references Steward ann@example.com, which is in the dump but failed to load: see above' steward.txt
grep -q 'steward: references Steward nobody@example.com, which is neither in the dump nor in the target store' steward.txt
echo "downstream glossary tree: OK"
